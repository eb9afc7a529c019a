package cutout

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/ink"
)

// line returns a straight stroke sampled every 0.25 mm.
func line(x0, y0, x1, y1 float64) inkform.Stroke {
	var s inkform.Stroke
	for i := 0; i <= 40; i++ {
		t := float64(i) / 40
		s.Points = append(s.Points, inkform.Point{X: x0 + t*(x1-x0), Y: y0 + t*(y1-y0), T: int64(i * 13), F: 200})
	}
	return s
}

// cutoutForm has two comb fields side by side, 2 mm apart, so each one's
// cutout (3 mm margin) shows part of the other, and a choice.
func cutoutForm() *inkform.Form {
	return &inkform.Form{FormTemplate: inkform.FormTemplate{
		Pages: []inkform.PageSpec{{Size: inkform.Size{W: 210, H: 297}, Address: "1.2.3.4"}},
		Fields: []inkform.Field{
			{Name: "a", Type: inkform.FieldNumber, Page: 1, Box: &inkform.Box{X: 20, Y: 30, W: 20, H: 10}, Comb: 2},
			{Name: "b", Type: inkform.FieldNumber, Page: 1, Box: &inkform.Box{X: 42, Y: 30, W: 20, H: 10}},
			{Name: "c", Type: inkform.FieldChoice, Page: 1, Options: []inkform.Option{
				{Value: "x", Box: inkform.Box{X: 20, Y: 60, W: 6, H: 6}}, {Value: "y", Box: inkform.Box{X: 40, Y: 60, W: 6, H: 6}},
			}},
		},
	}}
}

func TestStrokes(t *testing.T) {
	t.Parallel()
	form := cutoutForm()
	doc := &inkform.Document{Pages: []inkform.DocumentPage{{Number: 1, Address: "1.2.3.4"}}}
	strokes := []inkform.Stroke{
		line(25, 32, 28, 38),   // 0: inside a
		line(45, 32, 50, 38),   // 1: inside b
		line(38, 35, 43.5, 35), // 2: straddles the gap, mostly in a's grown box
		line(41, 61, 45, 65),   // 3: ticks option y of c
		line(100, 100, 120, 120),
	}
	di := &inkform.DocumentInk{Pages: []inkform.PageInk{
		{Address: "1.2.3.4", Strokes: strokes},
		{Address: "9.9.9.9", Strokes: []inkform.Stroke{line(25, 32, 28, 38)}}, // another page
	}}
	tests := []struct {
		field string
		want  []int
	}{
		{"a", []int{0, 2}},
		{"b", []int{1}},
		{"c", []int{3}},
	}
	for _, tt := range tests {
		got := Strokes(form, doc, di, tt.field)
		if len(got) != len(tt.want) {
			t.Errorf("field %s: %d strokes, want %d", tt.field, len(got), len(tt.want))
			continue
		}
		for i, w := range tt.want {
			if got[i].Points[0] != strokes[w].Points[0] {
				t.Errorf("field %s: stroke %d is not stroke %d", tt.field, i, w)
			}
		}
	}
	if got := Strokes(form, doc, nil, "a"); got != nil {
		t.Errorf("no ink gave %d strokes", len(got))
	}
	if got := Strokes(form, doc, di, "nope"); got != nil {
		t.Errorf("a field the form lacks gave %d strokes", len(got))
	}
}

func TestViewOf(t *testing.T) {
	t.Parallel()
	form := cutoutForm()
	tests := []struct {
		field string
		want  inkform.Box
	}{
		{"a", inkform.Box{X: 17, Y: 27, W: 26, H: 16}},
		{"c", inkform.Box{X: 17, Y: 57, W: 32, H: 12}},
	}
	for _, tt := range tests {
		got, ok := viewOf(form.Field(tt.field))
		if !ok || got != tt.want {
			t.Errorf("viewOf(%s) = %+v, %v; want %+v", tt.field, got, ok, tt.want)
		}
	}
	if _, ok := viewOf(&inkform.Field{Name: "empty"}); ok {
		t.Error("a field without boxes has a view")
	}
}

// TestCutoutShowsOnlyItsField renders field a's cutout, whose margin shows
// the left edge of field b where b's ink is, and checks the ink there is
// left out while the layout is drawn.
func TestCutoutShowsOnlyItsField(t *testing.T) {
	t.Parallel()
	form := cutoutForm()
	doc := &inkform.Document{Pages: []inkform.DocumentPage{{Number: 1, Address: "1.2.3.4"}}}
	di := &inkform.DocumentInk{Pages: []inkform.PageInk{{Address: "1.2.3.4", Strokes: []inkform.Stroke{
		line(25, 32, 28, 38), line(42.5, 31, 42.5, 39), // b's ink near its left edge
	}}}}
	const dpi = 100
	c := &inkform.Cutout{Field: "a", Format: inkform.CutoutPNG, DPI: dpi, Form: form, Document: doc, Ink: di}
	f, view, err := fieldView(form, "a")
	if err != nil {
		t.Fatal(err)
	}
	data, err := render(new(ink.Renderer), c, f, view)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	count := func(x0, x1 float64) (inkPx, grey int) {
		s := float64(dpi) / 25.4
		for y := 0; y < img.Bounds().Dy(); y++ {
			for x := int((x0 - view.X) * s); x < int((x1-view.X)*s); x++ {
				r, g, b, _ := img.At(x, y).RGBA()
				switch r, g, b = r>>8, g>>8, b>>8; {
				case b > r+50:
					inkPx++
				case r == g && g == b && r < 0xc0:
					grey++
				}
			}
		}
		return inkPx, grey
	}
	if n, grey := count(24, 29); n < 20 || grey == 0 {
		t.Errorf("a's own area: %d ink pixels, %d layout pixels", n, grey)
	}
	if n, grey := count(41.6, 43); n != 0 || grey == 0 {
		t.Errorf("b's edge in a's cutout: %d ink pixels (want 0), %d layout pixels", n, grey)
	}
}
