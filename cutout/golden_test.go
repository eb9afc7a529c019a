package cutout

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
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
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from %s", name, path)
				}
			}
		}
	}
}
