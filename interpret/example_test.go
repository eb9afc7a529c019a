package interpret_test

import (
	"context"
	"fmt"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/interpret"
)

// A one-field form, a pen tick in its box and the default settings.
func ExampleInterpreter_Interpret() {
	form := &inkform.Form{ID: "f", Version: 1, FormTemplate: inkform.FormTemplate{
		ConfidenceThreshold: 0.9,
		Pages:               []inkform.PageSpec{{Size: inkform.Size{W: 210, H: 297}, Address: "70.3.12.5"}},
		Fields: []inkform.Field{
			{Name: "consent", Type: inkform.FieldCheckbox, Page: 1, Box: &inkform.Box{X: 20, Y: 40, W: 5, H: 5}, Required: true},
		},
	}}
	doc := &inkform.Document{ID: "d", FormID: "f", FormVersion: 1,
		Pages: []inkform.DocumentPage{{Number: 1, Address: "70.3.12.5"}}}
	tick := inkform.Stroke{Points: []inkform.Point{{X: 21, Y: 42.5}, {X: 22, Y: 44}, {X: 24.5, Y: 40.5}}}
	ink := &inkform.DocumentInk{Pages: []inkform.PageInk{{Address: "70.3.12.5", Strokes: []inkform.Stroke{tick}}}}

	var in interpret.Interpreter // UnknownRecognizer, default options
	res, err := in.Interpret(context.Background(), form, doc, ink)
	if err != nil {
		fmt.Println(err)
		return
	}
	fv := res.Fields["consent"]
	fmt.Printf("consent=%v confidence≥0.95:%v valid=%v status=%s\n", fv.Value, fv.Confidence >= 0.95, fv.Valid, res.Status)
	// Output: consent=true confidence≥0.95:true valid=true status=validated
}

// fixedEngine stands in for an ICR engine that is unsure of what it read.
type fixedEngine struct{}

func (fixedEngine) Recognize(ctx context.Context, req inkform.RecognizeRequest) (inkform.Recognition, error) {
	return inkform.Recognition{Text: "42", Confidence: 0.7}, nil
}

// A comb field read by an engine below the form's threshold: the value is
// kept and the document goes to a person, with the reason why.
func ExampleInterpreter_Interpret_verification() {
	form := &inkform.Form{FormTemplate: inkform.FormTemplate{
		ConfidenceThreshold: 0.9,
		Pages:               []inkform.PageSpec{{Size: inkform.Size{W: 210, H: 297}, Address: "70.3.12.5"}},
		Fields: []inkform.Field{
			{Name: "age", Type: inkform.FieldNumber, Page: 1, Box: &inkform.Box{X: 20, Y: 90, W: 10, H: 8}, Comb: 2},
		},
	}}
	doc := &inkform.Document{Pages: []inkform.DocumentPage{{Number: 1, Address: "70.3.12.5"}}}
	four := inkform.Stroke{Points: []inkform.Point{{X: 23.5, Y: 96}, {X: 23.5, Y: 91}, {X: 21, Y: 95}, {X: 24.5, Y: 95}}}
	two := inkform.Stroke{Points: []inkform.Point{{X: 26, Y: 92}, {X: 28, Y: 91.5}, {X: 26, Y: 96}, {X: 29, Y: 96}}}
	ink := &inkform.DocumentInk{Pages: []inkform.PageInk{{Address: "70.3.12.5", Strokes: []inkform.Stroke{four, two}}}}

	in := interpret.Interpreter{Recognizer: fixedEngine{}}
	res, err := in.Interpret(context.Background(), form, doc, ink)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Fields["age"].Value, res.Status, res.Reasons)
	// Output: 42 needs_verification [age: confidence 0.700 below 0.900]
}
