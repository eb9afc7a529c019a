package interpret

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// digitalDoc stores a digital submission of f the way the capture service
// does: DigitalFields for the values, DigitalInk for the ink in page
// coordinates.
func digitalDoc(t *testing.T, f *inkform.Form, sub *inkform.DigitalSubmission) (*inkform.Document, *inkform.DocumentInk) {
	t.Helper()
	fields, err := f.DigitalFields(sub)
	if err != nil {
		t.Fatal(err)
	}
	doc := &inkform.Document{ID: "doc-1", FormID: f.ID, FormVersion: f.Version, Status: inkform.StatusReceived, Fields: fields}
	di := &inkform.DocumentInk{DocumentID: doc.ID}
	for _, p := range f.DigitalInk(sub) {
		doc.Pages = append(doc.Pages, inkform.DocumentPage{Number: p.Number, Address: p.Ink.Address, Strokes: len(p.Ink.Strokes)})
		di.Pages = append(di.Pages, p.Ink)
	}
	return doc, di
}

// TestSignatureNeedsInkInItsBox: a signature field is signed only by ink
// inside its box, whether a pen or a device wrote it, and a verifier's
// true needs that ink too.
func TestSignatureNeedsInkInItsBox(t *testing.T) {
	t.Parallel()
	f := testForm()
	sigBox := fieldBox(f, "signature") // 80 × 20 mm at (20, 250) on page 2
	signature := func() []inkform.Stroke { return newPen(5).signature(sigBox, 0.6) }
	// relative is ink as a device sends it: millimetres from the box's corner.
	relative := func(dx float64) []inkform.Stroke { return shift(signature(), dx-sigBox.X, -sigBox.Y) }
	pen := func(strokes []inkform.Stroke) func(t *testing.T) (*inkform.Document, *inkform.DocumentInk) {
		return func(t *testing.T) (*inkform.Document, *inkform.DocumentInk) {
			return testDoc(), inkOf(addr2, strokes)
		}
	}
	digital := func(values map[string]any, strokes []inkform.Stroke) func(t *testing.T) (*inkform.Document, *inkform.DocumentInk) {
		return func(t *testing.T) (*inkform.Document, *inkform.DocumentInk) {
			sub := &inkform.DigitalSubmission{FormID: f.ID, Values: map[string]any{"consent": true, "patient_no": "4711"},
				Ink: map[string][]inkform.Stroke{}}
			for k, v := range values {
				sub.Values[k] = v
			}
			if strokes != nil {
				sub.Ink["signature"] = strokes
			}
			return digitalDoc(t, f, sub)
		}
	}
	verified := func(strokes []inkform.Stroke) func(t *testing.T) (*inkform.Document, *inkform.DocumentInk) {
		return func(t *testing.T) (*inkform.Document, *inkform.DocumentInk) {
			doc := testDoc()
			doc.Fields = map[string]inkform.FieldValue{"signature": {Value: true, Confidence: 1, Source: inkform.SourceVerifier, Valid: true}}
			return doc, inkOf(addr2, strokes)
		}
	}
	tests := []struct {
		name    string
		doc     func(t *testing.T) (*inkform.Document, *inkform.DocumentInk)
		signed  bool
		source  inkform.ValueSource
		problem string // in the field's problems; "" for none
	}{
		{"pen: in the box", pen(signature()), true, inkform.SourcePen, ""},
		{"pen: at x 500–600 mm", pen(shift(signature(), 480, 0)), false, inkform.SourcePen, "is required"},
		{"pen: beside the box", pen(shift(signature(), 90, 0)), false, inkform.SourcePen, "is required"},
		{"pen: a stroke from the box to x 600 mm", pen([]inkform.Stroke{newPen(6).stroke(60, 260, 600, 260)}), false, inkform.SourcePen, "is required"},
		{"digital: ink in the box", digital(nil, relative(0)), true, inkform.SourcePen, ""},
		{"digital: ink at x 500–600 mm of an 80 mm box", digital(nil, relative(480)), false, inkform.SourcePen, "is required"},
		{"digital: a bare true stored before the rule", func(t *testing.T) (*inkform.Document, *inkform.DocumentInk) {
			doc := testDoc()
			doc.Pages = nil
			doc.Fields = map[string]inkform.FieldValue{"signature": {Value: true, Confidence: 1, Source: inkform.SourceDigital, Valid: true}}
			return doc, nil
		}, false, inkform.SourcePen, "is required"},
		{"verifier: true over ink in the box", verified([]inkform.Stroke{newPen(7).dot(40, 260)}), true, inkform.SourceVerifier, ""},
		{"verifier: true without ink", verified(nil), true, inkform.SourceVerifier, "is marked signed, but the document has no ink in its box"},
		{"verifier: true with ink only beside the box", verified(shift(signature(), 90, 0)), true, inkform.SourceVerifier, "no ink in its box"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc, di := tt.doc(t)
			res, err := (&Interpreter{Recognizer: &recorder{}}).Interpret(context.Background(), f, doc, di)
			if err != nil {
				t.Fatal(err)
			}
			fv := res.Fields["signature"]
			if fv.Value != tt.signed || fv.Source != tt.source {
				t.Errorf("signature = %+v, want %v from %s", fv, tt.signed, tt.source)
			}
			found := slices.ContainsFunc(fv.Problems, func(p string) bool { return strings.Contains(p, tt.problem) })
			if tt.problem == "" && len(fv.Problems) > 0 || tt.problem != "" && !found {
				t.Errorf("problems %q, want %q", fv.Problems, tt.problem)
			}
			if tt.problem != "" && res.Status != inkform.StatusNeedsVerification {
				t.Errorf("status %s with a signature problem", res.Status)
			}
		})
	}
}
