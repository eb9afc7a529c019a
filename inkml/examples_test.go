package inkml

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/inkform/inkform"
)

// The examples are the Wound check form filled in by hand
// (examples/internal/gensample).
const (
	exampleForm   = "../examples/wound-check.json"
	exampleInkML  = "../examples/wound-check.inkml"
	exampleJSON   = "../examples/wound-check.json-ink.json"
	exampleTraces = 40
)

func readExample(t *testing.T, path string, parse func([]byte, Limits) (*inkform.InkSubmission, error)) *inkform.InkSubmission {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := parse(data, DefaultLimits())
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return sub
}

// TestExamples parses both example encodings and checks that the ink lies on
// the form's page and that every stroke falls in one of the form's fields
// (allowing the little stray over an edge that real ink has).
func TestExamples(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(exampleForm)
	if err != nil {
		t.Fatal(err)
	}
	var form inkform.FormTemplate
	if err := json.Unmarshal(raw, &form); err != nil {
		t.Fatal(err)
	}
	var boxes []inkform.Box
	for _, f := range form.Fields {
		if f.Box != nil {
			boxes = append(boxes, *f.Box)
		}
		for _, o := range f.Options {
			boxes = append(boxes, o.Box)
		}
	}
	for _, ex := range []struct {
		path  string
		parse func([]byte, Limits) (*inkform.InkSubmission, error)
	}{{exampleInkML, Parse}, {exampleJSON, ParseJSON}} {
		t.Run(ex.path, func(t *testing.T) {
			t.Parallel()
			sub := readExample(t, ex.path, ex.parse)
			if sub.PenID != "AJX-AAB-7KH-6P" || sub.SubmissionID != "" {
				t.Errorf("penId %q submissionId %q; want the pen and no submission ID", sub.PenID, sub.SubmissionID)
			}
			if len(sub.Pages) != 1 || sub.Pages[0].Address != form.Pages[0].Address {
				t.Fatalf("got %d pages, want one with address %s", len(sub.Pages), form.Pages[0].Address)
			}
			page := sub.Pages[0]
			if len(page.Strokes) != exampleTraces {
				t.Errorf("%d strokes, want %d", len(page.Strokes), exampleTraces)
			}
			size := inkform.Box{W: form.Pages[0].Size.W, H: form.Pages[0].Size.H}
			used := make([]int, len(boxes))
			for i, s := range page.Strokes {
				for _, p := range s.Points {
					if !size.Contains(p.X, p.Y) {
						t.Fatalf("stroke %d: point (%g, %g) mm is off the page", i, p.X, p.Y)
					}
				}
				b := s.Bounds()
				in := -1
				for k, box := range boxes {
					grown := inkform.Box{X: box.X - 2, Y: box.Y - 2, W: box.W + 4, H: box.H + 4}
					if grown.Contains(b.X, b.Y) && grown.Contains(b.X+b.W, b.Y+b.H) {
						in = k
					}
				}
				if in < 0 {
					t.Errorf("stroke %d (bounds %+v) lies in no field", i, b)
					continue
				}
				used[in]++
			}
			// Everything but the "none" option of pain has ink.
			for k, n := range used {
				if n == 0 && boxes[k] != form.Field("pain").Options[0].Box {
					t.Errorf("field box %+v has no ink", boxes[k])
				}
			}
		})
	}
}

// TestExamplesAgree checks that the InkML and JSON examples hold the same ink.
func TestExamplesAgree(t *testing.T) {
	t.Parallel()
	a := readExample(t, exampleInkML, Parse).Pages[0].Strokes
	b := readExample(t, exampleJSON, ParseJSON).Pages[0].Strokes
	if len(a) != len(b) {
		t.Fatalf("%d strokes vs %d", len(a), len(b))
	}
	for i := range a {
		if len(a[i].Points) != len(b[i].Points) {
			t.Fatalf("stroke %d: %d points vs %d", i, len(a[i].Points), len(b[i].Points))
		}
		for k, p := range a[i].Points {
			q := b[i].Points[k]
			if math.Abs(p.X-q.X) > 1e-9 || math.Abs(p.Y-q.Y) > 1e-9 || p.T != q.T || p.F != q.F {
				t.Fatalf("stroke %d point %d: %+v vs %+v", i, k, p, q)
			}
		}
	}
}

// TestBenchDocument checks the benchmark document is what its comment says.
func TestBenchDocument(t *testing.T) {
	t.Parallel()
	data := readBenchDoc(t)
	sub, err := Parse(data, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	n := sub.Pages[0].Points()
	if len(sub.Pages) != 1 || len(sub.Pages[0].Strokes) != 40 || n < 2300 || n > 2500 || len(data) < 50_000 || len(data) > 60_000 {
		t.Errorf("benchmark document: %d pages, %d strokes, %d points, %d bytes", len(sub.Pages), len(sub.Pages[0].Strokes), n, len(data))
	}
	if sub.Pages[0].Strokes[0].Points[1].T == 0 || sub.Pages[0].Strokes[0].Points[1].F == 0 {
		t.Error("benchmark document has no T or F values")
	}
}
