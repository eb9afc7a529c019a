package interpret

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// comb writes the digits of s into the first len(s) cells of a comb box.
func comb(p *pen, b inkform.Box, cells int, s string) []inkform.Stroke {
	var out []inkform.Stroke
	for i, d := range s {
		out = append(out, p.digit(d, b.Cell(i, cells))...)
	}
	return out
}

// filledInk is testForm filled in completely and cleanly.
func filledInk(p *pen, f *inkform.Form) *inkform.DocumentInk {
	var page1 []inkform.Stroke
	page1 = append(page1, p.tick(fieldBox(f, "consent")))
	page1 = append(page1, p.tick(fieldBox(f, "sex", "f")))
	page1 = append(page1, p.cross(fieldBox(f, "symptoms", "pain"))...)
	page1 = append(page1, p.tick(fieldBox(f, "symptoms", "cough")))
	page1 = append(page1, comb(p, fieldBox(f, "patient_no"), 6, "120476")...)
	page1 = append(page1, comb(p, fieldBox(f, "age"), 2, "42")...)
	page1 = append(page1, comb(p, fieldBox(f, "visit"), 6, "270426")...)
	page1 = append(page1, p.signature(fieldBox(f, "name"), 0.4)...) // cursive stands in for a name
	page2 := p.signature(fieldBox(f, "signature"), 0.6)
	page2 = append(page2, p.circle(fieldBox(f, "sketch"), 20))
	return inkOf(addr1, page1, addr2, page2)
}

// scripted answers recognition requests in the order the fields come in the
// template: patient_no, age, visit, name.
func scripted(conf float64, texts ...string) *recorder {
	r := &recorder{}
	r.reply = func(req inkform.RecognizeRequest) (inkform.Recognition, error) {
		n := len(r.requests()) - 1
		if n >= len(texts) {
			return inkform.Recognition{}, nil
		}
		return inkform.Recognition{Text: texts[n], Confidence: conf}, nil
	}
	return r
}

func TestInterpretFilledForm(t *testing.T) {
	t.Parallel()
	f := testForm()
	rec := scripted(0.97, "120476", "42", "270426", "ANNA")
	in := &Interpreter{Recognizer: rec}
	res, err := in.Interpret(context.Background(), f, testDoc(), filledInk(newPen(1), f))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"consent": true, "smoker": false, "sex": "f", "symptoms": []string{"cough", "pain"},
		"patient_no": "120476", "age": "42", "visit": "270426", "name": "ANNA",
		"signature": true, "sketch": true,
	}
	for name, v := range want {
		fv, ok := res.Fields[name]
		if !ok {
			t.Errorf("%s: no entry", name)
			continue
		}
		if !reflect.DeepEqual(fv.Value, v) || !fv.Valid || len(fv.Problems) != 0 {
			t.Errorf("%s = %#v valid=%v %v, want %#v", name, fv.Value, fv.Valid, fv.Problems, v)
		}
		if fv.Confidence < 0.9 {
			t.Errorf("%s: confidence %.3f on clean ink", name, fv.Confidence)
		}
	}
	if res.Status != inkform.StatusValidated || len(res.Reasons) != 0 {
		t.Errorf("status %s %v, want validated", res.Status, res.Reasons)
	}
	if len(res.Unassigned) != 0 {
		t.Errorf("unassigned ink on a cleanly filled form: %+v", res.Unassigned)
	}
	if got := res.Fields["patient_no"].Source; got != inkform.SourceICR {
		t.Errorf("patient_no source %s, want icr", got)
	}
	if got := res.Fields["consent"].Source; got != inkform.SourcePen {
		t.Errorf("consent source %s, want pen", got)
	}
	if n := len(res.FieldInk["patient_no"]); n != 6 {
		t.Errorf("patient_no has %d strokes, want 6 (one per synthetic digit)", n)
	}
	if n := len(res.FieldInk["symptoms"]); n != 3 {
		t.Errorf("symptoms has %d strokes, want 3 (a cross and a tick)", n)
	}
	reqs := rec.requests()
	if len(reqs) != 4 {
		t.Fatalf("recognizer called %d times, want 4", len(reqs))
	}
	for i, want := range []struct {
		cells   int
		charset inkform.Charset
	}{{6, inkform.CharsetDigits}, {2, inkform.CharsetDigits}, {6, inkform.CharsetDigits}, {0, inkform.CharsetAlnum}} {
		if reqs[i].Cells != want.cells || reqs[i].Charset != want.charset || len(reqs[i].CellStrokes) != want.cells {
			t.Errorf("request %d: cells %d (%d lists) charset %s, want %d %s", i, reqs[i].Cells, len(reqs[i].CellStrokes), reqs[i].Charset, want.cells, want.charset)
		}
	}
}

func TestInterpretEmptyDocument(t *testing.T) {
	t.Parallel()
	f := testForm()
	rec := &recorder{}
	res, err := (&Interpreter{Recognizer: rec}).Interpret(context.Background(), f, testDoc(), inkOf())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Fields) != len(f.Fields) {
		t.Fatalf("%d field entries, want %d", len(res.Fields), len(f.Fields))
	}
	for _, fl := range f.Fields {
		fv := res.Fields[fl.Name]
		if fv.Confidence != 1 {
			t.Errorf("%s: empty field with confidence %v, want 1 (certainly empty)", fl.Name, fv.Confidence)
		}
		if !inkform.IsEmpty(fv.Value) {
			t.Errorf("%s: value %#v without ink", fl.Name, fv.Value)
		}
		if fv.Valid == fl.Required {
			t.Errorf("%s: valid=%v, required=%v", fl.Name, fv.Valid, fl.Required)
		}
	}
	if len(rec.requests()) != 0 {
		t.Errorf("the recognizer was asked to read %d empty fields", len(rec.requests()))
	}
	want := []string{"consent: is required", "patient_no: is required", "signature: is required"}
	if res.Status != inkform.StatusNeedsVerification || !slices.Equal(res.Reasons, want) {
		t.Errorf("status %s reasons %q, want needs_verification %q", res.Status, res.Reasons, want)
	}
}

// TestInterpretCheckboxes runs the kinds of marks through a whole
// interpretation: the value, and whether the document can pass.
func TestInterpretCheckboxes(t *testing.T) {
	t.Parallel()
	f := testForm()
	b := fieldBox(f, "smoker")
	tests := []struct {
		name   string
		ink    func(p *pen) []inkform.Stroke
		value  bool
		passes bool   // confidence reaches the threshold
		reason string // part of the reason, when it does not
	}{
		{"empty", func(p *pen) []inkform.Stroke { return nil }, false, true, ""},
		{"ticked", func(p *pen) []inkform.Stroke { return []inkform.Stroke{p.tick(b)} }, true, true, ""},
		{"crossed", func(p *pen) []inkform.Stroke { return p.cross(b) }, true, true, ""},
		{"circled", func(p *pen) []inkform.Stroke { return []inkform.Stroke{p.circle(b, 2.2)} }, true, true, ""},
		{"stray dot", func(p *pen) []inkform.Stroke { return []inkform.Stroke{p.dot(b.X+2, b.Y+3)} }, false, true, ""},
		{"scribbled out", func(p *pen) []inkform.Stroke { return []inkform.Stroke{p.tick(b), p.scribble(b, 0.6)} }, false, false, "smoker: confidence 0.500 below 0.900 (box scribbled out)"},
		{"borderline dash", func(p *pen) []inkform.Stroke { return []inkform.Stroke{p.stroke(b.X+1, b.Y+2, b.X+2.7, b.Y+2)} }, true, false, "smoker: confidence"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := newPen(2)
			page1 := append([]inkform.Stroke{p.tick(fieldBox(f, "consent"))}, tt.ink(p)...)
			page1 = append(page1, comb(p, fieldBox(f, "patient_no"), 6, "111111")...)
			di := inkOf(addr1, page1, addr2, p.signature(fieldBox(f, "signature"), 0.6))
			res, err := (&Interpreter{Recognizer: byCells{conf: 0.99}}).Interpret(context.Background(), f, testDoc(), di)
			if err != nil {
				t.Fatal(err)
			}
			fv := res.Fields["smoker"]
			if fv.Value != tt.value {
				t.Errorf("smoker = %v, want %v", fv.Value, tt.value)
			}
			if got := res.Status == inkform.StatusValidated; got != tt.passes {
				t.Errorf("status %s (%v), want validated=%v", res.Status, res.Reasons, tt.passes)
			}
			if tt.reason != "" && (len(res.Reasons) != 1 || !strings.HasPrefix(res.Reasons[0], tt.reason)) {
				t.Errorf("reasons %q, want one starting %q", res.Reasons, tt.reason)
			}
		})
	}
}

func TestInterpretChoice(t *testing.T) {
	t.Parallel()
	f := testForm()
	opt := func(name, v string) inkform.Box { return fieldBox(f, name, v) }
	tests := []struct {
		name     string
		ink      func(p *pen) []inkform.Stroke
		sex      any
		symptoms any
		reason   string // first reason, "" for validated
	}{
		{"nothing ticked", func(p *pen) []inkform.Stroke { return nil }, nil, nil, ""},
		{"one each", func(p *pen) []inkform.Stroke {
			return []inkform.Stroke{p.tick(opt("sex", "d")), p.tick(opt("symptoms", "fever"))}
		}, "d", []string{"fever"}, ""},
		{"multiple in option order, whatever the writing order", func(p *pen) []inkform.Stroke {
			return []inkform.Stroke{p.tick(opt("symptoms", "pain")), p.tick(opt("symptoms", "cough")), p.tick(opt("symptoms", "fever"))}
		}, nil, []string{"cough", "fever", "pain"}, ""},
		{"single choice ticked twice", func(p *pen) []inkform.Stroke {
			return []inkform.Stroke{p.tick(opt("sex", "m")), p.tick(opt("sex", "f"))}
		}, nil, nil, "sex: more than one option ticked (m, f)"},
		{"changed mind: one scribbled out, one ticked", func(p *pen) []inkform.Stroke {
			return []inkform.Stroke{p.tick(opt("sex", "m")), p.scribble(opt("sex", "m"), 0.6), p.tick(opt("sex", "f"))}
		}, "f", nil, "sex: confidence 0.500 below 0.900 (option m scribbled out)"},
		{"tick straying over the option's edge", func(p *pen) []inkform.Stroke {
			return shift([]inkform.Stroke{p.tick(opt("sex", "m"))}, 1.8, 0.8)
		}, "m", nil, ""},
		{"note beside the options stays with the group but ticks nothing", func(p *pen) []inkform.Stroke {
			return []inkform.Stroke{p.stroke(29, 72, 35, 73)}
		}, nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := newPen(3)
			page1 := append([]inkform.Stroke{p.tick(fieldBox(f, "consent"))}, tt.ink(p)...)
			page1 = append(page1, comb(p, fieldBox(f, "patient_no"), 6, "111111")...)
			di := inkOf(addr1, page1, addr2, p.signature(fieldBox(f, "signature"), 0.6))
			res, err := (&Interpreter{Recognizer: byCells{conf: 0.99}}).Interpret(context.Background(), f, testDoc(), di)
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Fields["sex"].Value; !reflect.DeepEqual(got, tt.sex) {
				t.Errorf("sex = %#v, want %#v", got, tt.sex)
			}
			if got := res.Fields["symptoms"].Value; !reflect.DeepEqual(got, tt.symptoms) {
				t.Errorf("symptoms = %#v, want %#v", got, tt.symptoms)
			}
			if tt.reason == "" {
				if res.Status != inkform.StatusValidated {
					t.Errorf("status %s %q, want validated", res.Status, res.Reasons)
				}
			} else if len(res.Reasons) == 0 || res.Reasons[0] != tt.reason {
				t.Errorf("reasons %q, want first %q", res.Reasons, tt.reason)
			}
			if len(res.Unassigned) != 0 {
				t.Errorf("unassigned: %+v", res.Unassigned)
			}
		})
	}
}
