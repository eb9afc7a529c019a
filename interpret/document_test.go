package interpret

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/inkform/inkform"
)

func TestInterpretPagesAndUnassignedInk(t *testing.T) {
	t.Parallel()
	f := testForm()
	p := newPen(5)
	sig := fieldBox(f, "signature")
	signature := p.signature(sig, 0.6)
	margin := p.stroke(150, 20, 190, 22)                   // a note in the margin of page 1
	far := p.tick(inkform.Box{X: 27.5, Y: 40, W: 5, H: 5}) // 2.5 mm right of consent, beyond the tolerance
	strayed := shift([]inkform.Stroke{p.tick(fieldBox(f, "consent"))}, 1.8, -1.5)[0]
	unknown := p.stroke(10, 10, 30, 30) // on a page the document does not have
	tests := []struct {
		name      string
		ink       *inkform.DocumentInk
		signature bool
		consent   bool
		// unassigned strokes per address, in order of first appearance
		unassigned []inkform.PageInk
	}{
		{"signature on its page", inkOf(addr2, signature), true, false, nil},
		{"the same ink on page 1 is no signature", inkOf(addr1, signature), false, false,
			[]inkform.PageInk{{Address: addr1, Strokes: signature}}},
		{"margin note kept", inkOf(addr1, []inkform.Stroke{margin, strayed}), false, true,
			[]inkform.PageInk{{Address: addr1, Strokes: []inkform.Stroke{margin}}}},
		{"tick beyond the tolerance is unassigned", inkOf(addr1, []inkform.Stroke{far}), false, false,
			[]inkform.PageInk{{Address: addr1, Strokes: []inkform.Stroke{far}}}},
		{"unknown page kept", inkOf("1.2.3.4", []inkform.Stroke{unknown}, addr2, signature), true, false,
			[]inkform.PageInk{{Address: "1.2.3.4", Strokes: []inkform.Stroke{unknown}}}},
		{"two submissions of one page add up", inkOf(addr1, []inkform.Stroke{margin}, addr2, signature[:1], addr1, []inkform.Stroke{strayed, margin}, addr2, signature[1:]), true, true,
			[]inkform.PageInk{{Address: addr1, Strokes: []inkform.Stroke{margin, margin}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := (&Interpreter{}).Interpret(context.Background(), f, testDoc(), tt.ink)
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Fields["signature"].Value; got != tt.signature {
				t.Errorf("signature = %v, want %v", got, tt.signature)
			}
			if got := res.Fields["consent"].Value; got != tt.consent {
				t.Errorf("consent = %v, want %v", got, tt.consent)
			}
			if !reflect.DeepEqual(res.Unassigned, tt.unassigned) {
				t.Errorf("unassigned = %d pages %+v, want %d pages", len(res.Unassigned), addresses(res.Unassigned), len(tt.unassigned))
			}
			// Every stroke is somewhere: in a field or unassigned, once.
			total, placed := 0, 0
			for _, pg := range tt.ink.Pages {
				total += len(pg.Strokes)
			}
			for _, s := range res.FieldInk {
				placed += len(s)
			}
			for _, pg := range res.Unassigned {
				placed += len(pg.Strokes)
			}
			if placed != total {
				t.Errorf("%d strokes in, %d placed", total, placed)
			}
		})
	}
}

func addresses(pages []inkform.PageInk) []string {
	var out []string
	for _, p := range pages {
		out = append(out, p.Address)
	}
	return out
}

func TestInterpretAgain(t *testing.T) {
	t.Parallel()
	f := testForm()
	in := &Interpreter{Recognizer: byCells{conf: 0.95}}
	di := filledInk(newPen(6), f)
	first, err := in.Interpret(context.Background(), f, testDoc(), di)
	if err != nil {
		t.Fatal(err)
	}
	second, err := in.Interpret(context.Background(), f, testDoc(), di)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, second) {
		t.Fatal("the same input interpreted twice gave different results")
	}

	// A later submission (unique pattern: the same copy revisited) ticks
	// the smoker box and scribbles out consent.
	p := newPen(7)
	more := inkOf(addr1, []inkform.Stroke{p.tick(fieldBox(f, "smoker")), p.scribble(fieldBox(f, "consent"), 0.6)})
	di2 := &inkform.DocumentInk{Pages: append(slices.Clone(di.Pages), more.Pages...)}
	doc := testDoc()
	doc.Fields = first.Fields // the stored values of the first run: pen and icr, so read again
	third, err := in.Interpret(context.Background(), f, doc, di2)
	if err != nil {
		t.Fatal(err)
	}
	if third.Fields["smoker"].Value != true || first.Fields["smoker"].Value != false {
		t.Errorf("smoker: %v then %v, want false then true", first.Fields["smoker"].Value, third.Fields["smoker"].Value)
	}
	if c := third.Fields["consent"]; c.Value != false || c.Confidence >= 0.9 {
		t.Errorf("consent after scribbling out = %v (%.2f), want false with low confidence", c.Value, c.Confidence)
	}
	if third.Status != inkform.StatusNeedsVerification {
		t.Errorf("status %s after consent was scribbled out", third.Status)
	}
	for _, name := range []string{"sex", "symptoms", "patient_no", "signature"} {
		if !reflect.DeepEqual(first.Fields[name], third.Fields[name]) {
			t.Errorf("%s changed though its ink did not: %+v → %+v", name, first.Fields[name], third.Fields[name])
		}
	}
}

func TestInterpretKeepsPeoplesValues(t *testing.T) {
	t.Parallel()
	f := testForm()
	di := filledInk(newPen(8), f)
	doc := testDoc()
	doc.Fields = map[string]inkform.FieldValue{
		"patient_no": {Value: "000123", Confidence: 1, Source: inkform.SourceVerifier, Valid: false, Problems: []string{"stale"}},
		"age":        {Value: "-5", Confidence: 1, Source: inkform.SourceDigital},
		"sex":        {Value: "m", Confidence: 1, Source: inkform.SourceVerifier},
		"smoker":     {Value: true, Confidence: 0.4, Source: inkform.SourcePen}, // an old reading: read again
	}
	rec := &recorder{reply: func(req inkform.RecognizeRequest) (inkform.Recognition, error) {
		return inkform.Recognition{Text: "010125", Confidence: 0.99}, nil
	}}
	res, err := (&Interpreter{Recognizer: rec}).Interpret(context.Background(), f, doc, di)
	if err != nil {
		t.Fatal(err)
	}
	if fv := res.Fields["patient_no"]; fv.Value != "000123" || fv.Source != inkform.SourceVerifier || !fv.Valid || len(fv.Problems) != 0 {
		t.Errorf("verifier's patient_no = %+v, want kept and re-validated", fv)
	}
	if fv := res.Fields["sex"]; fv.Value != "m" {
		t.Errorf("verifier's sex = %v, want m though the ink ticks f", fv.Value)
	}
	if fv := res.Fields["age"]; fv.Value != "-5" || fv.Valid || !slices.Equal(fv.Problems, []string{"is less than 0"}) {
		t.Errorf("digital age = %+v, want kept and invalid", fv)
	}
	if fv := res.Fields["smoker"]; fv.Value != false || fv.Confidence < 0.95 {
		t.Errorf("smoker = %+v, want read again from the ink", fv)
	}
	if n := len(rec.requests()); n != 2 {
		t.Errorf("recognizer called %d times, want 2 (visit and name; the kept values are not read)", n)
	}
	if len(res.FieldInk["patient_no"]) == 0 {
		t.Error("the ink of a kept field must still be there for its cutout")
	}
	if want := []string{"age: is less than 0"}; !slices.Equal(res.Reasons, want) {
		t.Errorf("reasons %q, want %q", res.Reasons, want)
	}
}

func TestInterpretDigitalDocument(t *testing.T) {
	t.Parallel()
	f := testForm()
	doc := testDoc()
	doc.Pages = nil
	doc.Fields = map[string]inkform.FieldValue{
		"consent":    {Value: true, Confidence: 1, Source: inkform.SourceDigital},
		"patient_no": {Value: "4711", Confidence: 1, Source: inkform.SourceDigital},
		"symptoms":   {Value: []string{"fever"}, Confidence: 1, Source: inkform.SourceDigital},
	}
	// The signature comes as ink, stored on its page like pen ink.
	doc.Pages = []inkform.DocumentPage{{Number: 2, Address: addr2}}
	di := inkOf(addr2, newPen(3).signature(fieldBox(f, "signature"), 0.6))
	res, err := (&Interpreter{Recognizer: &recorder{}}).Interpret(context.Background(), f, doc, di)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != inkform.StatusValidated {
		t.Errorf("status %s %q, want validated", res.Status, res.Reasons)
	}
	if len(res.Fields) != len(f.Fields) || res.Fields["name"].Confidence != 1 || res.Fields["name"].Value != nil {
		t.Errorf("fields without a digital value must be empty with confidence 1: %+v", res.Fields["name"])
	}
}

func TestInterpretThreshold(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		threshold float64
		conf      float64
		validated bool
		reasons   []string
	}{
		{"above", 0.9, 0.95, true, nil},
		{"exactly at", 0.9, 0.9, true, nil},
		{"below", 0.9, 0.89, false, []string{"patient_no: confidence 0.890 below 0.900"}},
		{"form's own threshold", 0.97, 0.95, false, []string{"patient_no: confidence 0.950 below 0.970"}},
		{"no threshold in the form takes the default", 0, 0.89, false, []string{"patient_no: confidence 0.890 below 0.900"}},
		{"engine cannot read", 0.9, 0, false, []string{"patient_no: is required", "patient_no: confidence 0.000 below 0.900"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := testForm()
			f.ConfidenceThreshold = tt.threshold
			p := newPen(9)
			page1 := append([]inkform.Stroke{p.tick(fieldBox(f, "consent"))}, comb(p, fieldBox(f, "patient_no"), 3, "123")...)
			di := inkOf(addr1, page1, addr2, p.signature(fieldBox(f, "signature"), 0.6))
			text := "123"
			if tt.conf == 0 {
				text = ""
			}
			res, err := (&Interpreter{Recognizer: constant{text: text, conf: tt.conf}}).Interpret(context.Background(), f, testDoc(), di)
			if err != nil {
				t.Fatal(err)
			}
			if (res.Status == inkform.StatusValidated) != tt.validated || !slices.Equal(res.Reasons, tt.reasons) {
				t.Errorf("status %s reasons %q, want validated=%v %q", res.Status, res.Reasons, tt.validated, tt.reasons)
			}
		})
	}
}

func TestInterpretErrors(t *testing.T) {
	t.Parallel()
	f := testForm()
	di := filledInk(newPen(10), f)
	errEngine := errors.New("engine unreachable")
	failing := &recorder{reply: func(inkform.RecognizeRequest) (inkform.Recognition, error) {
		return inkform.Recognition{}, errEngine
	}}
	if _, err := (&Interpreter{Recognizer: failing}).Interpret(context.Background(), f, testDoc(), di); !errors.Is(err, errEngine) {
		t.Errorf("recognizer failure gave %v, want it wrapped", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (&Interpreter{}).Interpret(ctx, f, testDoc(), di); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context gave %v", err)
	}
	other := testDoc()
	other.FormID = "form-2"
	if _, err := (&Interpreter{}).Interpret(context.Background(), f, other, di); err == nil {
		t.Error("a document of another form was interpreted")
	}
	if _, err := (&Interpreter{}).Interpret(context.Background(), nil, testDoc(), di); err == nil {
		t.Error("a nil form was accepted")
	}
	clash := testDoc()
	clash.Pages = append(clash.Pages, inkform.DocumentPage{Number: 3, Address: addr1})
	if _, err := (&Interpreter{}).Interpret(context.Background(), f, clash, di); err == nil {
		t.Error("an address on two pages was accepted")
	}
}

// TestInterpretUniquePattern reads a printed copy of a unique-pattern form:
// the form has no addresses, the document's pages name the copy's own.
func TestInterpretUniquePattern(t *testing.T) {
	t.Parallel()
	f := testForm()
	f.Pattern = inkform.PatternUnique
	f.Pages[0].Address, f.Pages[1].Address = "", ""
	doc := testDoc()
	doc.Pages = []inkform.DocumentPage{{Number: 2, Address: "71.0.0.8"}, {Number: 1, Address: "71.0.0.7"}}
	p := newPen(13)
	di := inkOf("71.0.0.8", p.signature(fieldBox(f, "signature"), 0.6), "71.0.0.7", []inkform.Stroke{p.tick(fieldBox(f, "consent"))}, addr1, []inkform.Stroke{p.tick(fieldBox(f, "smoker"))})
	res, err := (&Interpreter{}).Interpret(context.Background(), f, doc, di)
	if err != nil {
		t.Fatal(err)
	}
	if res.Fields["signature"].Value != true || res.Fields["consent"].Value != true {
		t.Errorf("signature %v consent %v, want both from the copy's pages", res.Fields["signature"].Value, res.Fields["consent"].Value)
	}
	// The copied-pattern address is not this copy's: its tick is kept aside.
	if res.Fields["smoker"].Value != false || len(res.Unassigned) != 1 || res.Unassigned[0].Address != addr1 {
		t.Errorf("smoker %v, unassigned %v: ink of another address must not land in the copy", res.Fields["smoker"].Value, addresses(res.Unassigned))
	}
}
