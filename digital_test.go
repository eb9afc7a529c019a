package inkform_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// digitalForm has a text, a number, a checkbox and a choice field and a
// signature on page 1, and a drawing on page 2.
func digitalForm() *inkform.Form {
	return &inkform.Form{ID: "f", FormTemplate: inkform.FormTemplate{
		Pages: []inkform.PageSpec{{Address: "1.2.3.4"}, {Address: "1.2.3.5"}},
		Fields: []inkform.Field{
			{Name: "patient", Type: inkform.FieldText, Page: 1, Box: &inkform.Box{X: 20, Y: 20, W: 100, H: 10}, Required: true},
			{Name: "age", Type: inkform.FieldNumber, Page: 1, Box: &inkform.Box{X: 20, Y: 40, W: 30, H: 10}, Min: ptr(0.0), Max: ptr(130.0)},
			{Name: "sig", Type: inkform.FieldSignature, Page: 1, Box: &inkform.Box{X: 20, Y: 200, W: 80, H: 30}},
			{Name: "ok", Type: inkform.FieldCheckbox, Page: 1, Box: &inkform.Box{X: 150, Y: 20, W: 5, H: 5}},
			{Name: "colours", Type: inkform.FieldChoice, Page: 1, Multiple: true, Options: []inkform.Option{
				{Value: "red", Box: inkform.Box{X: 150, Y: 40, W: 5, H: 5}},
				{Value: "blue", Box: inkform.Box{X: 150, Y: 50, W: 5, H: 5}},
			}},
			{Name: "sketch", Type: inkform.FieldDrawing, Page: 2, Box: &inkform.Box{X: 10, Y: 100, W: 150, H: 90}},
		},
	}}
}

func stroke(xy ...float64) inkform.Stroke {
	var s inkform.Stroke
	for i := 0; i+1 < len(xy); i += 2 {
		s.Points = append(s.Points, inkform.Point{X: xy[i], Y: xy[i+1], T: int64(i) * 5, F: 0.5})
	}
	return s
}

func TestDigitalFields(t *testing.T) {
	t.Parallel()
	ink := map[string][]inkform.Stroke{"sig": {stroke(1, 1, 2, 2)}}
	tests := []struct {
		name   string
		values map[string]any
		ink    map[string][]inkform.Stroke
		paths  []string // problem paths, sorted; nil: accepted
	}{
		{"all fine", map[string]any{"patient": "Ann", "age": "042", "ok": true, "colours": []string{"blue", "red"}}, ink, nil},
		{"ink is left to interpretation", map[string]any{"patient": "Ann"}, ink, nil},
		{"false is unsigned", map[string]any{"patient": "Ann", "sig": false, "sketch": false}, nil, nil},
		{"unknown field", map[string]any{"patient": "Ann", "shoe": "42"}, nil, []string{"fields.shoe"}},
		{"required missing", map[string]any{"age": "40"}, nil, []string{"fields.patient"}},
		{"out of range and wrong type", map[string]any{"patient": "Ann", "age": "140", "ok": "yes"}, nil, []string{"fields.age", "fields.ok"}},
		{"not an option", map[string]any{"patient": "Ann", "colours": []string{"red", "green"}}, nil, []string{"fields.colours"}},
		{"ink on a text field", map[string]any{"patient": "Ann"}, map[string][]inkform.Stroke{"patient": {stroke(1, 1)}}, []string{"fields.patient"}},
		{"ink on an unknown field", map[string]any{"patient": "Ann"}, map[string][]inkform.Stroke{"nope": {stroke(1, 1)}}, []string{"fields.nope"}},
		{"true is no signature", map[string]any{"patient": "Ann", "sig": true}, nil, []string{"fields.sig"}},
		{"true is no drawing", map[string]any{"patient": "Ann", "sketch": true}, nil, []string{"fields.sketch"}},
		{"ink and a value", map[string]any{"patient": "Ann", "sig": false}, ink, []string{"fields.sig"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sub := &inkform.DigitalSubmission{FormID: "f", Values: tt.values, Ink: tt.ink}
			fields, err := digitalForm().DigitalFields(sub)
			if tt.paths != nil {
				if inkform.ErrorCode(err) != inkform.EUNPROCESSABLE || fields != nil {
					t.Fatalf("DigitalFields = %v, %v; want EUNPROCESSABLE", fields, err)
				}
				var paths []string
				for _, p := range inkform.ErrorProblems(err) {
					paths = append(paths, p.Path)
				}
				if !reflect.DeepEqual(paths, tt.paths) {
					t.Errorf("problems at %v, want %v", paths, tt.paths)
				}
				if !strings.Contains(inkform.ErrorMessage(err), tt.paths[0]) {
					t.Errorf("message %q does not name %s", inkform.ErrorMessage(err), tt.paths[0])
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(fields)+len(tt.ink) != len(digitalForm().Fields) {
				t.Errorf("%d fields and %d with ink, want every field of the form once", len(fields), len(tt.ink))
			}
			for name, fv := range fields {
				want := tt.values[name]
				if name == "sig" || name == "sketch" {
					want = false // unsigned and not drawn: no ink
				}
				if !reflect.DeepEqual(fv.Value, want) || fv.Source != inkform.SourceDigital || fv.Confidence != 1 || !fv.Valid {
					t.Errorf("field %s = %+v, want value %#v", name, fv, want)
				}
			}
			for name := range tt.ink {
				if fv, ok := fields[name]; ok {
					t.Errorf("field %s with ink = %+v; want no value until its ink is read", name, fv)
				}
			}
		})
	}
}

// TestPresenceNeedsInk checks the words of the problems: they say what to
// send instead, and what a verifier's true lacks.
func TestPresenceNeedsInk(t *testing.T) {
	t.Parallel()
	f := digitalForm()
	sig, sketch, text := f.Field("sig"), f.Field("sketch"), f.Field("patient")
	if msg := sig.PresenceNeedsInk(); !strings.Contains(msg, "a signature is ink, so send its strokes") || !strings.Contains(msg, "false for unsigned") {
		t.Errorf("signature: %q", msg)
	}
	if msg := sketch.PresenceNeedsInk(); !strings.Contains(msg, "a drawing is ink") {
		t.Errorf("drawing: %q", msg)
	}
	tests := []struct {
		field *inkform.Field
		v     any
		inked bool
		want  string // part of the problem; "" for none
	}{
		{sig, true, false, "is marked signed, but the document has no ink in its box"},
		{sketch, true, false, "is marked drawn"},
		{sig, true, true, ""},
		{sig, false, false, ""},
		{sig, nil, false, ""},
		{text, "x", false, ""},
	}
	for _, tt := range tests {
		got := tt.field.CheckInk(tt.v, tt.inked)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s.CheckInk(%v, %v) = %q, want %q", tt.field.Name, tt.v, tt.inked, got, tt.want)
		}
	}
}

func TestDigitalInk(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ink  map[string][]inkform.Stroke
		want []inkform.DigitalPage
	}{
		{"none", nil, []inkform.DigitalPage{}},
		{"box offset added", map[string][]inkform.Stroke{"sig": {stroke(1, 2, 3.5, 4.25)}},
			[]inkform.DigitalPage{{Number: 1, Ink: inkform.PageInk{Address: "1.2.3.4", Strokes: []inkform.Stroke{stroke(21, 202, 23.5, 204.25)}}}}},
		{"pages in order", map[string][]inkform.Stroke{"sketch": {stroke(0, 0)}, "sig": {stroke(1, 1)}},
			[]inkform.DigitalPage{
				{Number: 1, Ink: inkform.PageInk{Address: "1.2.3.4", Strokes: []inkform.Stroke{stroke(21, 201)}}},
				{Number: 2, Ink: inkform.PageInk{Address: "1.2.3.5", Strokes: []inkform.Stroke{stroke(10, 100)}}},
			}},
		{"fields that take no ink and empty ink skipped", map[string][]inkform.Stroke{"patient": {stroke(1, 1)}, "nope": {stroke(1, 1)}, "sig": {}},
			[]inkform.DigitalPage{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := digitalForm().DigitalInk(&inkform.DigitalSubmission{Ink: tt.ink})
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DigitalInk = %+v, want %+v", got, tt.want)
			}
		})
	}
}
