package interpret

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/inkform/inkform"
)

func TestSplitComb(t *testing.T) {
	t.Parallel()
	b := inkform.Box{X: 0, Y: 0, W: 30, H: 8} // 6 cells of 5 mm
	tests := []struct {
		name string
		ink  func(p *pen) []inkform.Stroke
		want []int // strokes per cell
	}{
		{"one digit per cell", func(p *pen) []inkform.Stroke { return comb(p, b, 6, "123456") }, []int{1, 1, 1, 1, 1, 1}},
		{"gaps stay empty", func(p *pen) []inkform.Stroke {
			return append(p.digit('7', b.Cell(1, 6)), p.digit('1', b.Cell(4, 6))...)
		}, []int{0, 1, 0, 0, 1, 0}},
		{"digits straying 1.4 mm into the next cell", func(p *pen) []inkform.Stroke {
			return shift(comb(p, b, 6, "404040"), 1.4, 0.5)
		}, []int{1, 1, 1, 1, 1, 1}},
		{"digits straying over the outer edges", func(p *pen) []inkform.Stroke {
			return append(shift(p.digit('1', b.Cell(0, 6)), -2.5, 0), shift(p.digit('1', b.Cell(5, 6)), 2.5, 0)...)
		}, []int{1, 0, 0, 0, 0, 1}},
		{"a dot goes under itself", func(p *pen) []inkform.Stroke { return []inkform.Stroke{p.dot(12, 6)} }, []int{0, 0, 1, 0, 0, 0}},
		{"a bar over two cells, mostly in the right one", func(p *pen) []inkform.Stroke {
			return []inkform.Stroke{p.stroke(14, 4, 19, 4)}
		}, []int{0, 0, 0, 1, 0, 0}},
		{"a bar split evenly goes under its centre", func(p *pen) []inkform.Stroke {
			return []inkform.Stroke{{Points: []inkform.Point{{X: 8, Y: 4}, {X: 12, Y: 4}}}}
		}, []int{0, 0, 1, 0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			strokes := tt.ink(newPen(11))
			cells := splitComb(strokes, b, 6)
			var got []int
			n := 0
			for _, c := range cells {
				got = append(got, len(c))
				n += len(c)
			}
			if !slices.Equal(got, tt.want) || n != len(strokes) {
				t.Errorf("strokes per cell %v, want %v (%d strokes in)", got, tt.want, len(strokes))
			}
		})
	}
}

func TestRecognizeRequest(t *testing.T) {
	t.Parallel()
	f := testForm()
	p := newPen(12)
	pno := fieldBox(f, "patient_no")
	digits := comb(p, pno, 6, "8_3") // '_' writes nothing: the second cell stays empty
	name := p.signature(fieldBox(f, "name"), 0.3)
	rec := &recorder{reply: func(req inkform.RecognizeRequest) (inkform.Recognition, error) {
		return inkform.Recognition{Text: "83", Confidence: 1.7, Chars: []inkform.CharCandidates{
			{Candidates: []inkform.Candidate{{Char: '8', P: 0.6}, {Char: '3', P: 0.3}}},
			{Candidates: []inkform.Candidate{{Char: '3', P: 0.5}, {Char: '5', P: 0.45}}},
		}}, nil
	}}
	page1 := append(digits, name...)
	page1 = append(page1, p.dot(30, 108)) // a dot in the visit date: not worth reading
	res, err := (&Interpreter{Recognizer: rec}).Interpret(context.Background(), f, testDoc(), inkOf(addr1, page1))
	if err != nil {
		t.Fatal(err)
	}
	reqs := rec.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2 (patient_no and name; the dot in visit is no writing)", len(reqs))
	}
	pr := reqs[0]
	if pr.Cells != 6 || len(pr.CellStrokes) != 6 || pr.Charset != inkform.CharsetDigits {
		t.Fatalf("patient_no request: cells %d/%d charset %s", pr.Cells, len(pr.CellStrokes), pr.Charset)
	}
	if len(pr.CellStrokes[0]) != 1 || len(pr.CellStrokes[1]) != 0 || len(pr.CellStrokes[2]) != 1 {
		t.Errorf("cells hold %d, %d, %d strokes, want 1, 0, 1", len(pr.CellStrokes[0]), len(pr.CellStrokes[1]), len(pr.CellStrokes[2]))
	}
	// The ink is given relative to the field's top-left corner.
	got, orig := pr.CellStrokes[2][0].Points[0], digits[1].Points[0]
	if math.Abs(got.X-(orig.X-pno.X)) > 1e-9 || math.Abs(got.Y-(orig.Y-pno.Y)) > 1e-9 || got.T != orig.T {
		t.Errorf("cell point %+v, want %+v moved by (-%v, -%v)", got, orig, pno.X, pno.Y)
	}
	if len(pr.Strokes) != 2 {
		t.Errorf("request has %d strokes, want all 2", len(pr.Strokes))
	}
	if digits[1].Points[0] != orig {
		t.Error("the document's ink was modified")
	}
	if nr := reqs[1]; nr.Cells != 0 || nr.CellStrokes != nil || len(nr.Strokes) != len(name) || nr.Charset != inkform.CharsetAlnum {
		t.Errorf("free text request: cells %d, %d cell lists, %d strokes, charset %s", nr.Cells, len(nr.CellStrokes), len(nr.Strokes), nr.Charset)
	}
	fv := res.Fields["patient_no"]
	if fv.Value != "83" || fv.Confidence != 1 || !slices.Equal(fv.Alternatives, []string{"85", "33"}) {
		t.Errorf("patient_no = %+v, want 83, confidence clamped to 1, alternatives 85 33", fv)
	}
	if v := res.Fields["visit"]; v.Value != nil || v.Confidence < 0.95 || len(res.FieldInk["visit"]) != 1 {
		t.Errorf("visit with a stray dot = %+v (%d strokes), want empty and sure", v, len(res.FieldInk["visit"]))
	}
}

func TestAlternatives(t *testing.T) {
	t.Parallel()
	// cand builds ranked candidates from (rune, probability) pairs.
	cand := func(pairs ...any) inkform.CharCandidates {
		var c inkform.CharCandidates
		for i := 0; i+1 < len(pairs); i += 2 {
			c.Candidates = append(c.Candidates, inkform.Candidate{Char: pairs[i].(rune), P: pairs[i+1].(float64)})
		}
		return c
	}
	tests := []struct {
		name string
		r    inkform.Recognition
		want []string
	}{
		{"none", inkform.Recognition{Text: "12"}, nil},
		{"misaligned", inkform.Recognition{Text: "12", Chars: []inkform.CharCandidates{cand('1', 0.9, '7', 0.1)}}, nil},
		{"ranked", inkform.Recognition{Text: "170", Chars: []inkform.CharCandidates{
			cand('1', 0.9, '7', 0.1), cand('7', 0.5, '1', 0.4), cand('0', 0.6, '6', 0.3),
		}}, []string{"110", "176", "770"}},
		{"at most three", inkform.Recognition{Text: "aaaa", Chars: []inkform.CharCandidates{
			cand('a', 0.5, 'b', 0.1), cand('a', 0.5, 'c', 0.2), cand('a', 0.5, 'd', 0.3), cand('a', 0.5, 'e', 0.4),
		}}, []string{"aaae", "aada", "acaa"}},
	}
	for _, tt := range tests {
		if got := alternatives(tt.r); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
