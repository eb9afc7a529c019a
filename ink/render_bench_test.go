package ink

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// sampleDigits returns eight strokes like handwritten digits in a 56x10 mm
// comb field at (ox, oy): curves sampled as a pen does (about every 0.3 mm)
// with varying force.
func sampleDigits(ox, oy float64) []inkform.Stroke {
	var out []inkform.Stroke
	for d := range 8 {
		cx, cy := ox+3+float64(d)*7, oy+5
		s := inkform.Stroke{}
		// A loop or an open curve, depending on the digit.
		turns := 0.6 + 0.15*float64(d%4)
		n := 40
		for i := 0; i <= n; i++ {
			a := 2 * math.Pi * turns * float64(i) / float64(n)
			s.Points = append(s.Points, inkform.Point{
				X: cx + 2.2*math.Sin(a+float64(d)),
				Y: cy - 3.8*math.Cos(a) + 0.08*float64(i),
				T: int64(i * 13),
				F: 300 + 400*math.Sin(math.Pi*float64(i)/float64(n)),
			})
		}
		out = append(out, s)
	}
	return out
}

func TestRenderSVG(t *testing.T) {
	t.Parallel()
	strokes := []inkform.Stroke{line(15, 25, 45, 25, 0), {Points: []inkform.Point{{X: 30, Y: 22}}}, line(-90, -90, -80, -80, 0)}
	var buf bytes.Buffer
	if err := RenderSVG(&buf, strokes, inkform.Box{X: 10, Y: 20, W: 40, H: 10}, 254, nil); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Width   string `xml:"width,attr"`
		Height  string `xml:"height,attr"`
		ViewBox string `xml:"viewBox,attr"`
		Paths   []struct {
			Width string `xml:"stroke-width,attr"`
			D     string `xml:"d,attr"`
		} `xml:"g>path"`
		Circles []struct {
			CX string `xml:"cx,attr"`
			R  string `xml:"r,attr"`
		} `xml:"g>circle"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, buf.String())
	}
	if doc.Width != "400" || doc.Height != "100" || doc.ViewBox != "10.00 20.00 40.00 10.00" {
		t.Errorf("svg size %s x %s, viewBox %q", doc.Width, doc.Height, doc.ViewBox)
	}
	// The stroke far outside the view is left out.
	if len(doc.Paths) != 1 || len(doc.Circles) != 1 {
		t.Fatalf("%d paths and %d circles, want 1 and 1", len(doc.Paths), len(doc.Circles))
	}
	if p := doc.Paths[0]; p.Width != "0.40" || !strings.HasPrefix(p.D, "M15.00 25.00L15.") || !strings.HasSuffix(p.D, "45.00 25.00") {
		t.Errorf("path width %s, d %.40s…", p.Width, p.D)
	}
	if c := doc.Circles[0]; c.CX != "30.00" || c.R != "0.20" {
		t.Errorf("dot %+v", c)
	}
}

// TestRenderSVGBackground checks that a background is embedded as a PNG
// that decodes to the same picture.
func TestRenderSVGBackground(t *testing.T) {
	t.Parallel()
	bg := image.NewRGBA(image.Rect(0, 0, 20, 5))
	bg.Set(3, 2, color.RGBA{R: 0xff, A: 0xff})
	var buf bytes.Buffer
	if err := RenderSVG(&buf, []inkform.Stroke{line(1, 1, 9, 1, 0)}, inkform.Box{W: 10, H: 2.5}, 50.8, bg); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Image struct {
			Href  string `xml:"href,attr"`
			Width string `xml:"width,attr"`
		} `xml:"image"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	data, ok := strings.CutPrefix(doc.Image.Href, "data:image/png;base64,")
	if !ok || doc.Image.Width != "10.00" {
		t.Fatalf("image element: width %q, href %.40q", doc.Image.Width, doc.Image.Href)
	}
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds() != bg.Bounds() || color.RGBAModel.Convert(img.At(3, 2)) != bg.At(3, 2) {
		t.Errorf("embedded background %v differs from the original", img.Bounds())
	}
}

func TestPenRuns(t *testing.T) {
	t.Parallel()
	s := inkform.Stroke{Points: []inkform.Point{{X: 0, F: 100}, {X: 1, F: 100}, {X: 2, F: 100}, {X: 3, F: 0}, {X: 4, F: 0}}}
	pen := NewPen([]inkform.Stroke{s})
	var got [][2]float64 // width, first x of each run
	var ends []float64
	pen.Runs(&s, func(w float64, pts []inkform.Point) {
		got = append(got, [2]float64{w, pts[0].X})
		ends = append(ends, pts[len(pts)-1].X)
	})
	// Segments: 0-1 and 1-2 at full force, 2-3 at half, 3-4 at none.
	want := [][2]float64{{0.6, 0}, {0.45, 2}, {0.25, 3}}
	if len(got) != len(want) {
		t.Fatalf("runs %v, want %v", got, want)
	}
	for i := range want {
		if math.Abs(got[i][0]-want[i][0]) > 1e-9 || got[i][1] != want[i][1] {
			t.Errorf("run %d = %v, want %v", i, got[i], want[i])
		}
	}
	if ends[0] != 2 || ends[1] != 3 || ends[2] != 4 {
		t.Errorf("runs end at %v: consecutive runs must share a point", ends)
	}
	if w := NewPen(nil).Width(123); w != DefaultPenWidth {
		t.Errorf("width without force = %g", w)
	}
}

// BenchmarkCutoutPNG measures cutouts per second: a 60x14 mm field with
// eight strokes at 200 dpi, encoded as PNG. Target: 2,000/s per core.
//
//	go test -run '^$' -bench Cutout -cpu 1 ./ink/
func BenchmarkCutoutPNG(b *testing.B) {
	strokes := sampleDigits(0, 0)
	view := inkform.Box{X: -2, Y: -2, W: 60, H: 14}
	var r Renderer
	cpu := startCPU()
	for b.Loop() {
		if err := r.RenderPNG(io.Discard, strokes, view, 200, nil); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b, cpu, "cutouts")
}

// BenchmarkCutoutSVG is the same cutout as SVG.
func BenchmarkCutoutSVG(b *testing.B) {
	strokes := sampleDigits(0, 0)
	view := inkform.Box{X: -2, Y: -2, W: 60, H: 14}
	cpu := startCPU()
	for b.Loop() {
		if err := RenderSVG(io.Discard, strokes, view, 200, nil); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b, cpu, "cutouts")
}

// startCPU returns the process's CPU time so far. The shared machine makes
// wall time noisy; CPU time per operation says what one core can do.
func startCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportRate reports what/s by wall time and what/cpu-s by CPU time.
func reportRate(b *testing.B, cpu0 time.Duration, what string) {
	cpu := startCPU() - cpu0
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), what+"/s")
	b.ReportMetric(float64(b.N)/cpu.Seconds(), what+"/cpu-s")
}
