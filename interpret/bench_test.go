package interpret

import (
	"context"
	"testing"

	"github.com/inkform/inkform"
)

// benchForm is a one-page form of 12 fields, the size of a typical visit
// sheet: six checkboxes, a choice, two combs, free text, a signature and a
// drawing area.
func benchForm() *inkform.Form {
	f := &inkform.Form{ID: "bench", Version: 1, FormTemplate: inkform.FormTemplate{
		Name: "Visit", Pattern: inkform.PatternCopied, ConfidenceThreshold: 0.9,
		Pages: []inkform.PageSpec{{Size: inkform.Size{W: 210, H: 297}, Address: addr1}},
	}}
	for i, name := range []string{"consent", "smoker", "diabetic", "allergy", "pregnant", "follow_up"} {
		f.Fields = append(f.Fields, inkform.Field{Name: name, Type: inkform.FieldCheckbox, Page: 1, Box: box(20, 40+float64(i)*10, 5, 5)})
	}
	f.Fields = append(f.Fields,
		inkform.Field{Name: "sex", Type: inkform.FieldChoice, Page: 1, Options: []inkform.Option{
			{Value: "m", Box: inkform.Box{X: 100, Y: 40, W: 5, H: 5}},
			{Value: "f", Box: inkform.Box{X: 120, Y: 40, W: 5, H: 5}},
			{Value: "d", Box: inkform.Box{X: 140, Y: 40, W: 5, H: 5}},
		}},
		inkform.Field{Name: "patient_no", Type: inkform.FieldNumber, Page: 1, Box: box(20, 110, 30, 8), Comb: 6, Required: true},
		inkform.Field{Name: "visit", Type: inkform.FieldDate, Page: 1, Box: box(60, 110, 30, 8), Comb: 6, Format: "DDMMYY"},
		inkform.Field{Name: "name", Type: inkform.FieldText, Page: 1, Box: box(20, 130, 110, 10)},
		inkform.Field{Name: "signature", Type: inkform.FieldSignature, Page: 1, Box: box(20, 250, 80, 20), Required: true},
		inkform.Field{Name: "notes", Type: inkform.FieldDrawing, Page: 1, Box: box(110, 150, 80, 60)},
	)
	return f
}

// benchInk fills benchForm with about 40 strokes of synthetic pen ink.
func benchInk(f *inkform.Form) *inkform.DocumentInk {
	p := newPen(99)
	var s []inkform.Stroke
	for _, name := range []string{"consent", "diabetic", "follow_up"} {
		s = append(s, p.tick(fieldBox(f, name)))
	}
	s = append(s, p.cross(fieldBox(f, "allergy"))...)
	s = append(s, p.dot(22, 52))
	s = append(s, p.tick(fieldBox(f, "sex", "f")))
	s = append(s, comb(p, fieldBox(f, "patient_no"), 6, "120476")...)
	s = append(s, comb(p, fieldBox(f, "visit"), 6, "270426")...)
	name := fieldBox(f, "name")
	for i := range 10 {
		s = append(s, p.signature(inkform.Box{X: name.X + float64(i)*10, Y: name.Y, W: 10, H: name.H}, 0.7)[0])
	}
	s = append(s, p.signature(fieldBox(f, "signature"), 0.6)...)
	notes := fieldBox(f, "notes")
	s = append(s, p.circle(notes, 20), p.stroke(120, 160, 180, 200), p.stroke(120, 200, 180, 160))
	s = append(s, p.stroke(150, 20, 190, 22), p.stroke(150, 280, 190, 281), p.dot(5, 5), p.tick(fieldBox(f, "sex", "m")))
	return inkOf(addr1, s)
}

// BenchmarkInterpret measures interpretation alone (assignment, marks,
// comb splitting, validation) with a recognizer that answers at once:
//
//	go test ./interpret -run '^$' -bench Interpret -benchmem -count 5
func BenchmarkInterpret(b *testing.B) {
	f := benchForm()
	di := benchInk(f)
	doc := &inkform.Document{ID: "doc", FormID: "bench", FormVersion: 1, Pages: []inkform.DocumentPage{{Number: 1, Address: addr1}}}
	in := &Interpreter{Recognizer: constant{text: "1", conf: 0.99}}
	ctx := context.Background()
	strokes, points := len(di.Pages[0].Strokes), di.Pages[0].Points()
	res, err := in.Interpret(ctx, f, doc, di)
	if err != nil {
		b.Fatal(err)
	}
	if len(res.Fields) != 12 || len(res.FieldInk) != 11 {
		b.Fatalf("the benchmark document is not what it claims: %d fields, %d with ink", len(res.Fields), len(res.FieldInk))
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := in.Interpret(ctx, f, doc, di); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(float64(strokes), "strokes/doc")
	b.ReportMetric(float64(points), "points/doc")
}
