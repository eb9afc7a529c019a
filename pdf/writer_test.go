package pdf

import (
	"bytes"
	"image"
	"math"
	"strconv"
	"testing"

	"codeberg.org/go-pdf/fpdf"
	"github.com/pdfcpu/pdfcpu/pkg/api"

	"github.com/inkform/inkform"
)

// TestMetrics checks the width tables against fpdf's copy of Adobe's
// metrics, so that text is measured (and shortened) as before.
func TestMetrics(t *testing.T) {
	t.Parallel()
	for _, f := range []struct {
		style  string
		widths *[256]uint16
	}{{"", &helveticaWidths}, {"B", &helveticaBoldWidths}} {
		p := fpdf.New("P", "pt", "A4", "")
		p.SetFont("Helvetica", f.style, 1000)
		for c := 32; c < 256; c++ {
			if want := p.GetStringWidth(string([]byte{byte(c)})); float64(f.widths[c]) != want {
				t.Errorf("Helvetica %q: width of byte %#x is %d, fpdf says %g", f.style, c, f.widths[c], want)
			}
		}
	}
}

func TestFit(t *testing.T) {
	t.Parallel()
	var c canvas
	c.reset(297)
	c.setFont(helvetica, 10)
	long := "Name of the patient, written out in full"
	tests := []struct {
		s    string
		w    float64
		want string
	}{
		{"short", 100, "short"},
		{long, c.width(long), long},
		{long, c.width("Name of the") + c.width(ellipsis), "Name of the" + ellipsis},
		{long, c.width("Name of the") + c.width(ellipsis) - 0.01, "Name of th" + ellipsis},
		{long, 0, ellipsis}, // not even the ellipsis fits: it is all there is
	}
	for _, tt := range tests {
		if got := c.fit(tt.s, tt.w); got != tt.want {
			t.Errorf("fit(%q, %.2f) = %q, want %q", tt.s, tt.w, got, tt.want)
		}
		if got := c.fit(tt.s, tt.w); got != ellipsis && c.width(got) > tt.w+1e-9 {
			t.Errorf("fit(%q, %.2f) = %q is %.2f mm wide", tt.s, tt.w, got, c.width(got))
		}
	}
}

func TestTextStrings(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Home visit (Hausbesuch)", `(Home visit \(Hausbesuch\))`},
		{`back\slash`, `(back\\slash)`},
		{"Hausbesuch – ü", "<FEFF004800610075007300620065007300750063006800202013002000FC>"},
		{"😀", "<FEFFD83DDE00>"}, // outside the BMP: a surrogate pair
		{"line\rbreak", "<FEFF006C0069006E0065000D0062007200650061006B>"},
	}
	for _, tt := range tests {
		if got := textString(tt.in); got != tt.want {
			t.Errorf("textString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
	if got := string(escapeString(nil, "a(b)c\\d\re")); got != `a\(b\)c\\d\re` {
		t.Errorf("escapeString = %s", got)
	}
}

// TestBackgroundCache checks that a cached background renders the same
// file as one prepared anew, that another background or a form with other
// page sizes is not served from the cache, and that the cache keeps to
// its size.
func TestBackgroundCache(t *testing.T) {
	t.Parallel()
	form := sampleForm()
	doc, di := sampleDoc()
	a4 := inkform.Size{W: 210, H: 297}
	bg1, bg2 := makeBackground(t, a4, a4), makeBackground(t, a4, inkform.Size{W: 210.5, H: 297})
	want1 := filled(t, FilledInput{Form: form, Doc: doc, Ink: di, Background: bg1})
	want2 := filled(t, FilledInput{Form: form, Doc: doc, Ink: di, Background: bg2})
	if bytes.Equal(want1, want2) {
		t.Fatal("two backgrounds render the same file")
	}
	cache := NewBackgroundCache(64 << 20)
	p := Printer{Backgrounds: cache}
	render := func(bg []byte, form *inkform.Form) ([]byte, error) {
		var buf bytes.Buffer
		err := p.Filled(&buf, form, doc, di, bg)
		return buf.Bytes(), err
	}
	for i, c := range []struct {
		bg, want []byte
	}{{bg1, want1}, {bg1, want1}, {bg2, want2}, {bg1, want1}} {
		got, err := render(c.bg, form)
		if err != nil {
			t.Fatalf("render %d: %v", i, err)
		}
		if !bytes.Equal(got, c.want) {
			t.Errorf("render %d differs from the uncached one", i)
		}
	}
	if n := len(cache.entries); n != 2 {
		t.Errorf("cache holds %d backgrounds, want 2", n)
	}
	// The same bytes on a form whose first page is letter-sized: refused,
	// although the cache has them prepared for the A4 form.
	letter := sampleForm()
	letter.Pages[0].Size = inkform.Size{W: 215.9, H: 279.4}
	if _, err := render(bg1, letter); inkform.ErrorCode(err) != inkform.EUNPROCESSABLE {
		t.Errorf("background of the wrong size from the cache: %v, want EUNPROCESSABLE", err)
	}
	// A cache with room for one background keeps the newest.
	small := NewBackgroundCache(len(cache.entries[cache.order[0]].data) + 100)
	p.Backgrounds = small
	for _, bg := range [][]byte{bg1, bg2} {
		if _, err := render(bg, form); err != nil {
			t.Fatal(err)
		}
	}
	if len(small.entries) != 1 || small.size > small.max {
		t.Errorf("small cache holds %d backgrounds, %d of %d bytes; want 1 within its size", len(small.entries), small.size, small.max)
	}
}

// TestBackgroundTurned checks that background pages a reader shows turned
// (/Rotate) are drawn on the filled form as the reader shows them: the
// dark pixels of the background alone are dark on the filled page too.
func TestBackgroundTurned(t *testing.T) {
	t.Parallel()
	form := sampleForm()
	doc, _ := sampleDoc()
	doc.Fields = nil // only the background and the footer on page 1
	landscape := inkform.Size{W: 297, H: 210}
	a4 := inkform.Size{W: 210, H: 297}
	tests := []struct {
		name     string
		size     inkform.Size
		rotation int
	}{
		{"upright", a4, 0},
		{"turned 90", landscape, 90},
		{"turned 180", a4, 180},
		{"turned 270", landscape, 270},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			bg := makeBackground(t, tt.size, tt.size)
			if tt.rotation != 0 {
				var out bytes.Buffer
				if err := api.Rotate(bytes.NewReader(bg), &out, tt.rotation, nil, pdfcpuConfig()); err != nil {
					t.Fatal(err)
				}
				bg = out.Bytes()
			}
			data := filled(t, FilledInput{Form: form, Doc: doc, Background: bg})
			qpdfCheck(t, data)
			want := renderPage(t, bg, 1, 50)
			got := renderPage(t, data, 1, 50)
			if got.Bounds() != want.Bounds() {
				t.Fatalf("filled page is %v, background %v", got.Bounds(), want.Bounds())
			}
			dark, kept := darkOverlap(want, got)
			if dark < 500 || kept*100 < dark*97 {
				t.Errorf("%d of the background's %d dark pixels are dark on the filled page", kept, dark)
			}
		})
	}
}

// darkOverlap counts the dark pixels of want and how many of them are
// dark in got.
func darkOverlap(want, got image.Image) (dark, kept int) {
	isDark := func(img image.Image, x, y int) bool {
		r, g, b, _ := img.At(x, y).RGBA()
		return r>>8 < 200 && g>>8 < 200 && b>>8 < 200
	}
	b := want.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if isDark(want, x, y) {
				dark++
				if isDark(got, x, y) {
					kept++
				}
			}
		}
	}
	return dark, kept
}

func TestAppendFixed2(t *testing.T) {
	t.Parallel()
	for _, v := range []float64{0, 1, -1, 0.004, -0.004, 0.006, -0.006, 12.345678, -841.89, 595.2755905511812, 99.995001, 1e11 + 0.25, 2e12 + 0.25, 3e20, -7.1} {
		want := strconv.AppendFloat(nil, v, 'f', 2, 64)
		if string(want) == "-0.00" {
			want = []byte("0.00")
		}
		if got := appendFixed2(nil, v); string(got) != string(want) {
			t.Errorf("appendFixed2(%v) = %s, want %s", v, got, want)
		}
	}
	// Coordinates of a page: every hundredth of a millimetre on A4.
	for i := range 29700 {
		v := float64(i) / 100 * ptPerMM
		if got, want := appendFixed2(nil, v), strconv.AppendFloat(nil, v, 'f', 2, 64); string(got) != string(want) {
			t.Errorf("appendFixed2(%v) = %s, want %s", v, got, want)
		}
	}
}

func TestInkXY(t *testing.T) {
	t.Parallel()
	tests := []struct {
		x, y float64
		want string
	}{
		// A4 is 297 mm high: y = 297 is the bottom edge, 0 points up.
		{0, 297, "0 0 "},
		{10, 287, "283 283 "},          // 28.35 points: 283.46 tenths
		{210, 0, "5953 8419 "},         // the top right corner
		{0.0176, 297 - 0.0177, "0 1 "}, // 0.499 and 0.502 tenths
		{-1, 298, "-28 -28 "},          // outside the page still draws where it is
		{math.NaN(), math.Inf(1), "0 0 "},
		{1e300, -1e300, "0 0 "},
	}
	for _, tt := range tests {
		var c canvas
		c.reset(297)
		c.inkXY(inkform.Point{X: tt.x, Y: tt.y})
		if got := string(c.b); got != tt.want {
			t.Errorf("inkXY(%v, %v) = %q, want %q", tt.x, tt.y, got, tt.want)
		}
	}
}
