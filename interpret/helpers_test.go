package interpret

import (
	"context"
	"slices"
	"sync"

	"github.com/inkform/inkform"
)

// Page addresses of the test forms.
const (
	addr1 = "70.3.12.5"
	addr2 = "70.3.12.6"
)

func box(x, y, w, h float64) *inkform.Box { return &inkform.Box{X: x, Y: y, W: w, H: h} }

func ptr[T any](v T) *T { return &v }

// testForm is a two-page intake form with every field type. Page 1 holds
// the marks and the handwriting, page 2 the signature and a sketch.
func testForm() *inkform.Form {
	return &inkform.Form{
		ID: "form-1", Version: 1,
		FormTemplate: inkform.FormTemplate{
			Name:                "Intake",
			Pattern:             inkform.PatternCopied,
			ConfidenceThreshold: 0.9,
			Pages: []inkform.PageSpec{
				{Size: inkform.Size{W: 210, H: 297}, Address: addr1},
				{Size: inkform.Size{W: 210, H: 297}, Address: addr2},
			},
			Fields: []inkform.Field{
				{Name: "consent", Type: inkform.FieldCheckbox, Page: 1, Box: box(20, 40, 5, 5), Required: true},
				{Name: "smoker", Type: inkform.FieldCheckbox, Page: 1, Box: box(20, 50, 5, 5)},
				{Name: "sex", Type: inkform.FieldChoice, Page: 1, Options: []inkform.Option{
					{Value: "m", Box: inkform.Box{X: 20, Y: 60, W: 5, H: 5}},
					{Value: "f", Box: inkform.Box{X: 40, Y: 60, W: 5, H: 5}},
					{Value: "d", Box: inkform.Box{X: 60, Y: 60, W: 5, H: 5}},
				}},
				{Name: "symptoms", Type: inkform.FieldChoice, Page: 1, Multiple: true, Box: box(15, 68, 60, 9), Options: []inkform.Option{
					{Value: "cough", Box: inkform.Box{X: 20, Y: 70, W: 5, H: 5}},
					{Value: "fever", Box: inkform.Box{X: 40, Y: 70, W: 5, H: 5}},
					{Value: "pain", Box: inkform.Box{X: 60, Y: 70, W: 5, H: 5}},
				}},
				{Name: "patient_no", Type: inkform.FieldNumber, Page: 1, Box: box(20, 90, 30, 8), Comb: 6, Charset: inkform.CharsetDigits, Required: true},
				{Name: "age", Type: inkform.FieldNumber, Page: 1, Box: box(60, 90, 10, 8), Comb: 2, Charset: inkform.CharsetDigits, Min: ptr(0.0), Max: ptr(120.0)},
				{Name: "visit", Type: inkform.FieldDate, Page: 1, Box: box(20, 105, 30, 8), Comb: 6, Charset: inkform.CharsetDigits, Format: "DDMMYY"},
				{Name: "name", Type: inkform.FieldText, Page: 1, Box: box(20, 120, 80, 10)},
				{Name: "signature", Type: inkform.FieldSignature, Page: 2, Box: box(20, 250, 80, 20), Required: true},
				{Name: "sketch", Type: inkform.FieldDrawing, Page: 2, Box: box(110, 140, 80, 60)},
			},
		},
	}
}

// testDoc is a document of testForm with both pages.
func testDoc() *inkform.Document {
	return &inkform.Document{
		ID: "doc-1", FormID: "form-1", FormVersion: 1, Status: inkform.StatusReceived,
		Pages: []inkform.DocumentPage{{Number: 1, Address: addr1}, {Number: 2, Address: addr2}},
	}
}

// fieldBox returns the box of a field (or of option opt of a choice).
func fieldBox(f *inkform.Form, name string, opt ...string) inkform.Box {
	fl := f.Field(name)
	for _, o := range fl.Options {
		if len(opt) > 0 && o.Value == opt[0] {
			return o.Box
		}
	}
	return *fl.Box
}

// inkOf builds document ink: address, strokes, address, strokes, ...
func inkOf(pages ...any) *inkform.DocumentInk {
	di := &inkform.DocumentInk{DocumentID: "doc-1"}
	for i := 0; i+1 < len(pages); i += 2 {
		di.Pages = append(di.Pages, inkform.PageInk{Address: pages[i].(string), Strokes: pages[i+1].([]inkform.Stroke)})
	}
	return di
}

// recorder is a test Recognizer: it answers with reply (or a fixed
// reading) and records every request, so tests can check what the engine
// was given, such as the split of a comb into cells.
type recorder struct {
	reply func(req inkform.RecognizeRequest) (inkform.Recognition, error)

	mu   sync.Mutex
	reqs []inkform.RecognizeRequest
}

func (r *recorder) Recognize(ctx context.Context, req inkform.RecognizeRequest) (inkform.Recognition, error) {
	r.mu.Lock()
	r.reqs = append(r.reqs, req)
	r.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return inkform.Recognition{}, err
	}
	if r.reply == nil {
		return inkform.Recognition{}, nil
	}
	return r.reply(req)
}

func (r *recorder) requests() []inkform.RecognizeRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.reqs)
}

// constant is a Recognizer that reads every field as the same text.
type constant struct {
	text string
	conf float64
}

func (c constant) Recognize(ctx context.Context, req inkform.RecognizeRequest) (inkform.Recognition, error) {
	return inkform.Recognition{Text: c.text, Confidence: c.conf}, nil
}

// byCells is a Recognizer that reads a comb by the number of strokes in
// each cell (one stroke → '1', two → '2', an empty cell → nothing), so a
// wrong split gives a wrong value; free text reads as "TEXT".
type byCells struct{ conf float64 }

func (b byCells) Recognize(ctx context.Context, req inkform.RecognizeRequest) (inkform.Recognition, error) {
	if req.Cells == 0 {
		return inkform.Recognition{Text: "TEXT", Confidence: b.conf}, nil
	}
	var s []byte
	for _, c := range req.CellStrokes {
		if len(c) > 0 {
			s = append(s, byte('0'+min(9, len(c))))
		}
	}
	return inkform.Recognition{Text: string(s), Confidence: b.conf}, nil
}
