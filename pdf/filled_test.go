package pdf

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// update rewrites the golden files: go test ./pdf/ -run Golden -update
var update = flag.Bool("update", false, "rewrite golden files in testdata")

func filled(t testing.TB, in FilledInput) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Filled(&buf, in); err != nil {
		t.Fatalf("Filled: %v", err)
	}
	return buf.Bytes()
}

// qpdfCheck fails the test unless qpdf finds the file sound.
func qpdfCheck(t testing.TB, data []byte) {
	t.Helper()
	tool := needTool(t, "qpdf")
	out, err := exec.Command(tool, "--check", writeTemp(t, "check.pdf", data)).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "No syntax or stream encoding errors") {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
}

// pageSizes returns "WxH" in points of every page, from pdfinfo.
func pageSizes(t testing.TB, data []byte) []string {
	t.Helper()
	tool := needTool(t, "pdfinfo")
	out, err := exec.Command(tool, "-f", "1", "-l", "1000", writeTemp(t, "info.pdf", data)).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	var sizes []string
	for _, m := range regexp.MustCompile(`Page +\d+ size: +([\d.]+) x ([\d.]+) pts`).FindAllStringSubmatch(string(out), -1) {
		sizes = append(sizes, m[1]+"x"+m[2])
	}
	return sizes
}

func TestFilledIsSoundPDF(t *testing.T) {
	t.Parallel()
	form := sampleForm()
	doc, di := sampleDoc()
	a4 := inkform.Size{W: 210, H: 297}
	tests := []struct {
		name  string
		in    FilledInput
		pages int
	}{
		{"drawn", FilledInput{Form: form, Doc: doc, Ink: di}, 3},
		{"background", FilledInput{Form: form, Doc: doc, Ink: di, Background: makeBackground(t, a4, a4)}, 3},
		{"digital, no ink", FilledInput{Form: form, Doc: doc}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := filled(t, tt.in)
			qpdfCheck(t, data)
			sizes := pageSizes(t, data)
			if len(sizes) != tt.pages {
				t.Fatalf("%d pages, want %d (form pages + summary)", len(sizes), tt.pages)
			}
			for i, s := range sizes {
				if s != "595.276x841.89" && s != "595.28x841.89" {
					t.Errorf("page %d is %s pt, want A4", i+1, s)
				}
			}
		})
	}
}

func TestFilledText(t *testing.T) {
	t.Parallel()
	tool := needTool(t, "pdftotext")
	doc, di := sampleDoc()
	data := filled(t, FilledInput{Form: sampleForm(), Doc: doc, Ink: di})
	out, err := exec.Command(tool, "-layout", writeTemp(t, "t.pdf", data), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{
		"Patient number", "70.3.12.5", "00471142", "icr 97%", "icr 41% – invalid", // page 1: label, address, value layer
		"Remarks (page 2) – ünïcödé ?",                                 // Windows-1252 where it can, ? where not
		"Field values", "from an older version", "not a calendar date", // summary with a field the form lacks
		"document " + doc.ID, "Home visit (Hausbesuch) v3", "created 2026-03-05T14:30:00Z", "updated 2026-03-05T15:00:00Z",
		"SHA-256 of the stored ink: " + di.SHA256,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	// The footer is on every page: 2 form pages and the summary.
	if n := strings.Count(text, di.SHA256); n != 3 {
		t.Errorf("ink hash printed %d times, want once per page (3)", n)
	}
}

func TestFilledDeterministic(t *testing.T) {
	t.Parallel()
	doc, di := sampleDoc()
	in := FilledInput{Form: sampleForm(), Doc: doc, Ink: di}
	a, b := filled(t, in), filled(t, in)
	if !bytes.Equal(a, b) {
		t.Error("two renderings of the same document differ")
	}
	if !bytes.Contains(a, []byte("/CreationDate (D:20260305143000")) {
		t.Error("creation date is not the document's")
	}
}

// TestFilledGolden compares page 1 rendered by pdftoppm at 50 dpi with the
// golden PNG, allowing for rasteriser differences between poppler versions.
func TestFilledGolden(t *testing.T) {
	t.Parallel()
	doc, di := sampleDoc()
	got := renderPage(t, filled(t, FilledInput{Form: sampleForm(), Doc: doc, Ink: di}), 1, 50)
	path := filepath.Join("testdata", "filled_page1.png")
	if *update {
		var buf bytes.Buffer
		png.Encode(&buf, got)
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds() != want.Bounds() {
		t.Fatalf("page is %v, golden %v", got.Bounds(), want.Bounds())
	}
	diff, total := 0, 0
	for y := got.Bounds().Min.Y; y < got.Bounds().Max.Y; y++ {
		for x := got.Bounds().Min.X; x < got.Bounds().Max.X; x++ {
			total++
			if colourDistance(got.At(x, y), want.At(x, y)) > 48 {
				diff++
			}
		}
	}
	// 0.2% of the page is about 40 pixels at 50 dpi: a few glyph edges.
	if diff*1000 > total*2 {
		t.Errorf("%d of %d pixels differ from %s (run with -update if intended)", diff, total, path)
	}
}

func colourDistance(a, b interface{ RGBA() (r, g, b, a uint32) }) int {
	r1, g1, b1, _ := a.RGBA()
	r2, g2, b2, _ := b.RGBA()
	d := func(x, y uint32) int {
		if x > y {
			return int(x-y) >> 8
		}
		return int(y-x) >> 8
	}
	return max(d(r1, r2), d(g1, g2), d(b1, b2))
}

// isInkPixel says whether a pixel is the ink's dark blue, not the grey
// print or the red values.
func isInkPixel(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	r, g, b = r>>8, g>>8, b>>8
	return b > 90 && b > r+50 && b > g+40
}

// inkPixels counts ink pixels inside the box (mm) shrunk by 1 mm, at dpi.
func inkPixels(img image.Image, b inkform.Box, dpi float64) int {
	s := dpi / 25.4
	n := 0
	for y := int((b.Y + 1) * s); y < int((b.Y+b.H-1)*s); y++ {
		for x := int((b.X + 1) * s); x < int((b.X+b.W-1)*s); x++ {
			if isInkPixel(img, x, y) {
				n++
			}
		}
	}
	return n
}

// TestFilledInkWhereWritten renders page 1 and finds the ink in the boxes
// it was written in, and none in the field left empty.
func TestFilledInkWhereWritten(t *testing.T) {
	t.Parallel()
	form := sampleForm()
	doc, di := sampleDoc()
	a4 := inkform.Size{W: 210, H: 297}
	for name, bg := range map[string][]byte{"drawn": nil, "background": makeBackground(t, a4, a4)} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			img := renderPage(t, filled(t, FilledInput{Form: form, Doc: doc, Ink: di, Background: bg}), 1, 100)
			for _, f := range []string{"patient_no", "signature"} {
				if n := inkPixels(img, *form.Field(f).Box, 100); n < 50 {
					t.Errorf("%s: %d ink pixels, want the digits' ink", f, n)
				}
			}
			if n := inkPixels(img, form.Field("mood").Options[1].Box, 100); n < 5 {
				t.Errorf("mood so-so: %d ink pixels, want the cross", n)
			}
			for _, f := range []string{"notes", "name"} {
				if n := inkPixels(img, *form.Field(f).Box, 100); n != 0 {
					t.Errorf("%s: %d ink pixels in an empty field", f, n)
				}
			}
			if n := inkPixels(img, form.Field("mood").Options[2].Box, 100); n != 0 {
				t.Errorf("mood bad: %d ink pixels in an unmarked box", n)
			}
		})
	}
}
