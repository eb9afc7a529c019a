package cutout

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/inkml"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// woundCheck returns the Wound check example form and its ink pages.
func woundCheck(t *testing.T) (*inkform.Form, []inkform.PageInk) {
	t.Helper()
	var tmpl inkform.FormTemplate
	data, err := os.ReadFile("../examples/wound-check.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &tmpl); err != nil {
		t.Fatal(err)
	}
	data, err = os.ReadFile("../examples/wound-check.json-ink.json")
	if err != nil {
		t.Fatal(err)
	}
	sub, err := inkml.ParseJSON(data, inkml.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return &inkform.Form{FormTemplate: tmpl}, sub.Pages
}

// TestCutoutGolden draws every field's cutout of the Wound check example
// and of cutoutForm, as PNG and SVG, and compares the bytes with
// testdata/. The files were written by the handler these cutouts were once
// drawn in (http, before this package), so they also show that moving the
// drawing here changed no byte.
func TestCutoutGolden(t *testing.T) {
	t.Parallel()
	wound, woundInk := woundCheck(t)
	samples := []struct {
		name  string
		form  *inkform.Form
		pages []inkform.PageInk
	}{
		{"wound", wound, woundInk},
		{"two", cutoutForm(), []inkform.PageInk{{Address: "1.2.3.4", Strokes: []inkform.Stroke{
			line(25, 32, 28, 38), line(45, 32, 50, 38), line(38, 35, 43.5, 35),
			line(41, 61, 45, 65), line(42.5, 31, 42.5, 39), line(100, 100, 120, 120),
		}}}},
	}
	for _, sm := range samples {
		e := newEnv(sm.form, sm.pages)
		for _, f := range sm.form.Fields {
			for _, q := range []struct {
				format string
				dpi    int
			}{{inkform.CutoutPNG, 100}, {inkform.CutoutSVG, inkform.DefaultCutoutDPI}} {
				name := sm.name + "-" + f.Name + "." + q.format
				got, _, err := e.get(context.Background(), f.Name, q.format, q.dpi)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				path := filepath.Join("testdata", name)
				if *update {
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./cutout -run TestCutoutGolden -update)", err)
				}
				if err := sameCutout(got, want); err != nil {
					t.Errorf("%s differs from %s: %v", name, path, err)
				}
			}
		}
	}
}

// embeddedPNG finds the layout picture an SVG cutout embeds.
var embeddedPNG = regexp.MustCompile(`data:image/png;base64,([A-Za-z0-9+/=]+)`)

// sameCutout compares two cutouts by what they show: PNGs pixel by pixel,
// SVGs by their text with each embedded PNG compared by its pixels. The
// bytes of a PNG depend on the Go version's compressor; the picture must
// not.
func sameCutout(got, want []byte) error {
	if bytes.HasPrefix(want, []byte("\x89PNG")) {
		return samePNG(got, want)
	}
	gi, wi := embeddedPNG.FindAllSubmatchIndex(got, -1), embeddedPNG.FindAllSubmatchIndex(want, -1)
	if len(gi) != len(wi) {
		return fmt.Errorf("%d embedded pictures, want %d", len(gi), len(wi))
	}
	gPrev, wPrev := 0, 0
	for i := range gi {
		if !bytes.Equal(got[gPrev:gi[i][2]], want[wPrev:wi[i][2]]) {
			return fmt.Errorf("the SVG text before picture %d differs", i+1)
		}
		gp, err1 := base64.StdEncoding.DecodeString(string(got[gi[i][2]:gi[i][3]]))
		wp, err2 := base64.StdEncoding.DecodeString(string(want[wi[i][2]:wi[i][3]]))
		if err := errors.Join(err1, err2); err != nil {
			return err
		}
		if err := samePNG(gp, wp); err != nil {
			return fmt.Errorf("picture %d: %w", i+1, err)
		}
		gPrev, wPrev = gi[i][3], wi[i][3]
	}
	if !bytes.Equal(got[gPrev:], want[wPrev:]) {
		return errors.New("the SVG text differs")
	}
	return nil
}

// samePNG reports whether two PNGs have the same size and pixels.
func samePNG(got, want []byte) error {
	g, err := png.Decode(bytes.NewReader(got))
	if err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	w, err := png.Decode(bytes.NewReader(want))
	if err != nil {
		return fmt.Errorf("decode golden: %w", err)
	}
	if g.Bounds() != w.Bounds() {
		return fmt.Errorf("size %v, want %v", g.Bounds(), w.Bounds())
	}
	b := g.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r1, g1, b1, a1 := g.At(x, y).RGBA()
			r2, g2, b2, a2 := w.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				return fmt.Errorf("pixel (%d, %d) differs", x, y)
			}
		}
	}
	return nil
}
