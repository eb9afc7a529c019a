package interpret

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/inkform/inkform"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// summary is the part of a Result a golden file holds: everything but the
// ink itself, with confidences rounded so that a change in the fourth digit
// of a smooth function does not churn the file.
type summary struct {
	Status     inkform.DocumentStatus  `json:"status"`
	Reasons    []string                `json:"reasons"`
	Fields     map[string]fieldSummary `json:"fields"`
	FieldInk   map[string]int          `json:"fieldInkStrokes"`
	Unassigned map[string]int          `json:"unassignedStrokes"`
}

type fieldSummary struct {
	Value        any                 `json:"value"`
	Confidence   float64             `json:"confidence"`
	Source       inkform.ValueSource `json:"source"`
	Valid        bool                `json:"valid"`
	Problems     []string            `json:"problems"`
	Alternatives []string            `json:"alternatives,omitempty"`
}

func summarize(r *Result) summary {
	s := summary{Status: r.Status, Reasons: r.Reasons, Fields: map[string]fieldSummary{}, FieldInk: map[string]int{}, Unassigned: map[string]int{}}
	for name, fv := range r.Fields {
		s.Fields[name] = fieldSummary{fv.Value, math.Round(fv.Confidence*1000) / 1000, fv.Source, fv.Valid, fv.Problems, fv.Alternatives}
	}
	for name, strokes := range r.FieldInk {
		s.FieldInk[name] = len(strokes)
	}
	for _, p := range r.Unassigned {
		s.Unassigned[p.Address] += len(p.Strokes)
	}
	return s
}

// messyInk is testForm filled the way real forms come back: a scribbled-out
// consent, two ticks in a single choice, a tick over an edge, a stray dot,
// a note in the margin, a page of another form and a thin signature.
func messyInk(p *pen, f *inkform.Form) *inkform.DocumentInk {
	consent := fieldBox(f, "consent")
	page1 := []inkform.Stroke{
		p.tick(consent), p.scribble(consent, 0.6),
		p.dot(22, 52), // smoker: a touch of the pen
		p.tick(fieldBox(f, "sex", "m")), p.circle(fieldBox(f, "sex", "d"), 2.3),
	}
	page1 = append(page1, shift([]inkform.Stroke{p.tick(fieldBox(f, "symptoms", "fever"))}, 1.6, 1.2)...)
	page1 = append(page1, comb(p, fieldBox(f, "patient_no"), 6, "12345")...)
	page1 = append(page1, comb(p, fieldBox(f, "age"), 2, "1")...)
	page1 = append(page1, p.stroke(150, 20, 185, 24), p.stroke(150, 26, 170, 27))
	page2 := []inkform.Stroke{p.stroke(30, 262, 43, 262)}
	return inkOf(addr1, page1, "9.9.9.9", []inkform.Stroke{p.tick(consent)}, addr2, page2)
}

func TestGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ink  func(p *pen, f *inkform.Form) *inkform.DocumentInk
	}{
		{"filled", filledInk},
		{"messy", messyInk},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := testForm()
			rec := &recorder{reply: func(req inkform.RecognizeRequest) (inkform.Recognition, error) {
				return byCells{conf: 0.93}.Recognize(context.Background(), req)
			}}
			res, err := (&Interpreter{Recognizer: rec}).Interpret(context.Background(), f, testDoc(), tt.ink(newPen(21), f))
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(summarize(res), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", tt.name+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./interpret -run TestGolden -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("interpretation differs from %s (if intended, rerun with -update and review the diff):\n%s", path, got)
			}
		})
	}
}
