package ink

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/inkform/inkform"
)

// update rewrites the golden files in testdata: go test ./ink/ -run Golden -update
var update = flag.Bool("update", false, "rewrite golden files in testdata")

// line returns a stroke from (x0,y0) to (x1,y1) sampled every 0.5 mm with
// force f.
func line(x0, y0, x1, y1, f float64) inkform.Stroke {
	n := int(math.Hypot(x1-x0, y1-y0)/0.5) + 1
	s := inkform.Stroke{}
	for i := 0; i <= n; i++ {
		t := float64(i) / float64(n)
		s.Points = append(s.Points, inkform.Point{X: x0 + (x1-x0)*t, Y: y0 + (y1-y0)*t, T: int64(i * 10), F: f})
	}
	return s
}

// isInk reports whether a pixel is mostly ink colour (dark and blue).
func isInk(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return b>>8 > 100 && r>>8 < 120 && g>>8 < 140
}

// inkAmount sums the ink coverage of column x from y0 to y1, in pixels,
// from how far each pixel's green has moved from white to the ink's.
func inkAmount(img image.Image, x, y0, y1 int) float64 {
	var n float64
	ink := InkColor()
	for y := y0; y < y1; y++ {
		_, g, _, _ := img.At(x, y).RGBA()
		n += (255 - float64(g>>8)) / (255 - float64(ink.G))
	}
	return n
}

func isWhite(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r>>8 > 250 && g>>8 > 250 && b>>8 > 250
}

// inkRun counts ink pixels in column x.
func inkRun(img image.Image, x int) int {
	n := 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		if isInk(img.At(x, y)) {
			n++
		}
	}
	return n
}

func TestRasterize(t *testing.T) {
	t.Parallel()
	view := inkform.Box{X: 10, Y: 20, W: 40, H: 10} // 40x10 mm
	const dpi = 254                                 // 10 px per mm
	tests := []struct {
		name    string
		strokes []inkform.Stroke
		check   func(t *testing.T, img image.Image)
	}{
		{"horizontal line", []inkform.Stroke{line(15, 25, 45, 25, 0)}, func(t *testing.T, img image.Image) {
			// 0.4 mm at 10 px/mm: 4 pixels.
			if n := inkAmount(img, 300, 0, 100); math.Abs(n-4) > 0.3 {
				t.Errorf("line is %.2f px thick at x=300, want 4", n)
			}
			if !isInk(img.At(300, 50)) || !isWhite(img.At(300, 60)) || !isWhite(img.At(20, 50)) {
				t.Errorf("ink not where it was written: centre %v, 1 mm below %v, left of start %v",
					img.At(300, 50), img.At(300, 60), img.At(20, 50))
			}
		}},
		{"force sets width", []inkform.Stroke{line(15, 23, 45, 23, 10), line(15, 27, 45, 27, 100)}, func(t *testing.T, img image.Image) {
			// Force 10 of 100: 0.285 mm, rounded to 0.3; full force 0.6 mm.
			light, heavy := inkAmount(img, 300, 0, 50), inkAmount(img, 300, 50, 100)
			if math.Abs(light-3) > 0.3 || math.Abs(heavy-6) > 0.3 {
				t.Errorf("light stroke %.2f px, heavy %.2f px: want 3 and 6", light, heavy)
			}
		}},
		{"retraced stroke keeps its ink", []inkform.Stroke{{Points: append(line(15, 25, 45, 25, 0).Points, line(45, 25, 15, 25, 0).Points...)}}, func(t *testing.T, img image.Image) {
			// Opposite windings would cancel where a stroke goes back over itself.
			if n := inkRun(img, 300); n < 3 {
				t.Errorf("retraced line has %d ink px at x=300", n)
			}
		}},
		{"dot", []inkform.Stroke{{Points: []inkform.Point{{X: 30, Y: 25}}}}, func(t *testing.T, img image.Image) {
			if !isInk(img.At(200, 50)) || !isWhite(img.At(205, 50)) {
				t.Errorf("dot: centre %v, 0.5 mm right %v", img.At(200, 50), img.At(205, 50))
			}
		}},
		{"outside the view", []inkform.Stroke{line(-100, -100, -50, -50, 0), line(0, 25, 1000, 25, 0)}, func(t *testing.T, img image.Image) {
			if !isInk(img.At(0, 50)) || !isInk(img.At(399, 50)) || !isWhite(img.At(200, 10)) {
				t.Errorf("clipped line: left %v, right %v, above %v", img.At(0, 50), img.At(399, 50), img.At(200, 10))
			}
		}},
		{"NaN points are skipped", []inkform.Stroke{{Points: []inkform.Point{{X: 15, Y: 25}, {X: math.NaN(), Y: 25}, {X: 45, Y: 25}}}}, func(t *testing.T, img image.Image) {
			if !isInk(img.At(300, 50)) {
				t.Errorf("line around a NaN point missing: %v", img.At(300, 50))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			img, err := Rasterize(tt.strokes, view, dpi, nil)
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != 400 || b.Dy() != 100 {
				t.Fatalf("size %v, want 400x100", b)
			}
			tt.check(t, img)
		})
	}
}

func TestRasterizeBackground(t *testing.T) {
	t.Parallel()
	red := color.RGBA{R: 0xff, A: 0xff}
	for _, bg := range []image.Image{
		image.NewUniform(red),
		fill(image.NewRGBA(image.Rect(0, 0, 400, 100)), red), // same size: copied
		fill(image.NewRGBA(image.Rect(0, 0, 37, 11)), red),   // scaled
	} {
		img, err := Rasterize([]inkform.Stroke{line(15, 25, 45, 25, 0)}, inkform.Box{X: 10, Y: 20, W: 40, H: 10}, 254, bg)
		if err != nil {
			t.Fatal(err)
		}
		if c := color.RGBAModel.Convert(img.At(5, 5)); c != red {
			t.Errorf("background pixel %v, want red", c)
		}
		if !isInk(img.At(300, 50)) {
			t.Errorf("ink over background: %v", img.At(300, 50))
		}
	}
}

func fill(img *image.RGBA, c color.RGBA) *image.RGBA {
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return img
}

func TestRenderBadInput(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		view inkform.Box
		dpi  float64
	}{
		{"zero dpi", inkform.Box{W: 10, H: 10}, 0},
		{"huge dpi", inkform.Box{W: 10, H: 10}, 5000},
		{"NaN dpi", inkform.Box{W: 10, H: 10}, math.NaN()},
		{"empty view", inkform.Box{W: 0, H: 10}, 200},
		{"negative view", inkform.Box{W: 10, H: -1}, 200},
		{"too many pixels", inkform.Box{W: 2000, H: 2000}, 600},
		{"infinite view", inkform.Box{W: math.Inf(1), H: 10}, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := RenderPNG(&buf, nil, tc.view, tc.dpi, nil); inkform.ErrorCode(err) != inkform.EINVALID {
				t.Errorf("RenderPNG: %v, want EINVALID", err)
			}
			if err := RenderSVG(&buf, nil, tc.view, tc.dpi, nil); inkform.ErrorCode(err) != inkform.EINVALID {
				t.Errorf("RenderSVG: %v, want EINVALID", err)
			}
		})
	}
}

// TestRenderGolden compares a rendered cutout with testdata, as pixels for
// PNG (float rounding may differ between CPUs) and as text for SVG.
func TestRenderGolden(t *testing.T) {
	t.Parallel()
	strokes := sampleDigits(0, 0)
	view := inkform.Box{X: -2, Y: -2, W: 60, H: 14}
	var pngBuf, svgBuf bytes.Buffer
	if err := RenderPNG(&pngBuf, strokes, view, 200, nil); err != nil {
		t.Fatal(err)
	}
	if err := RenderSVG(&svgBuf, strokes, view, 200, nil); err != nil {
		t.Fatal(err)
	}
	pngPath, svgPath := filepath.Join("testdata", "render_digits.png"), filepath.Join("testdata", "render_digits.svg")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(pngPath, pngBuf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(svgPath, svgBuf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wantSVG, err := os.ReadFile(svgPath)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if !bytes.Equal(svgBuf.Bytes(), wantSVG) {
		t.Errorf("SVG differs from %s (run with -update if the change is intended)", svgPath)
	}
	f, err := os.Open(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(&pngBuf)
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds() != want.Bounds() {
		t.Fatalf("PNG size %v, golden %v", got.Bounds(), want.Bounds())
	}
	diff := 0
	for y := got.Bounds().Min.Y; y < got.Bounds().Max.Y; y++ {
		for x := got.Bounds().Min.X; x < got.Bounds().Max.X; x++ {
			r1, g1, b1, _ := got.At(x, y).RGBA()
			r2, g2, b2, _ := want.At(x, y).RGBA()
			if absDiff(r1, r2) > 8<<8 || absDiff(g1, g2) > 8<<8 || absDiff(b1, b2) > 8<<8 {
				diff++
			}
		}
	}
	if diff > 0 {
		t.Errorf("%d pixels differ from %s", diff, pngPath)
	}
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

// TestRendererReuse checks that reused buffers leave nothing of an earlier
// picture in a later one, concurrently too.
func TestRendererReuse(t *testing.T) {
	t.Parallel()
	var r Renderer
	small := inkform.Box{X: 0, Y: 0, W: 20, H: 5}
	var want bytes.Buffer
	if err := RenderPNG(&want, []inkform.Stroke{line(2, 2, 18, 2, 0)}, small, 200, nil); err != nil {
		t.Fatal(err)
	}
	done := make(chan string, 8)
	for range 8 {
		go func() {
			var big, got bytes.Buffer
			if err := r.RenderPNG(&big, sampleDigits(0, 0), inkform.Box{X: -2, Y: -2, W: 60, H: 14}, 300, nil); err != nil {
				done <- err.Error()
				return
			}
			if err := r.RenderPNG(&got, []inkform.Stroke{line(2, 2, 18, 2, 0)}, small, 200, nil); err != nil {
				done <- err.Error()
				return
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				done <- "a reused Renderer gave another picture than a fresh one"
				return
			}
			done <- ""
		}()
	}
	for range 8 {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
}
