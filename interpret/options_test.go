package interpret

import (
	"context"
	"math"
	"testing"

	"github.com/inkform/inkform"
)

func TestOptionsDefaults(t *testing.T) {
	t.Parallel()
	got := Options{EdgeTolerance: 0.5, MinShare: math.NaN(), CancelReversals: -1}.withDefaults()
	if got.EdgeTolerance != 0.5 {
		t.Errorf("a set EdgeTolerance was replaced: %v", got.EdgeTolerance)
	}
	if got.MinShare != DefaultMinShare || got.CancelReversals != DefaultCancelReversals || got.InkWidth != DefaultInkWidth {
		t.Errorf("NaN, negative and zero fields must take the defaults: %+v", got)
	}
}

// TestOptionsChangeTheReading checks that the options reach the rules: a
// tick 1.8 mm over the edge belongs to the box with the default tolerance
// and is unassigned with a tolerance of 0.5 mm; a dash reads as a tick only
// when the minimum mark length allows it.
func TestOptionsChangeTheReading(t *testing.T) {
	t.Parallel()
	f := testForm()
	p := newPen(14)
	b := fieldBox(f, "smoker")
	strayed := shift([]inkform.Stroke{p.tick(b)}, 3.4, 0)
	dash := p.stroke(b.X+1, b.Y+2, b.X+3, b.Y+2)
	tests := []struct {
		name       string
		opts       Options
		ink        []inkform.Stroke
		smoker     bool
		unassigned int
	}{
		{"default tolerance keeps the stray tick", Options{}, strayed, true, 0},
		{"tight tolerance drops it", Options{EdgeTolerance: 0.5}, strayed, false, 1},
		{"a 2 mm dash is a mark by default", Options{}, []inkform.Stroke{dash}, true, 0},
		{"but not with a 3 mm minimum", Options{MinMarkLength: 3, MinMarkCoverage: 0.5}, []inkform.Stroke{dash}, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := (&Interpreter{Options: tt.opts}).Interpret(context.Background(), f, testDoc(), inkOf(addr1, tt.ink))
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, pg := range res.Unassigned {
				n += len(pg.Strokes)
			}
			if res.Fields["smoker"].Value != tt.smoker || n != tt.unassigned {
				t.Errorf("smoker %v with %d unassigned strokes, want %v and %d", res.Fields["smoker"].Value, n, tt.smoker, tt.unassigned)
			}
		})
	}
}

// TestInterpretBrokenTemplate checks that a template that slipped past
// validation (no box, a page that does not exist, an unknown type) gives
// empty values for a person to fill in, never a panic.
func TestInterpretBrokenTemplate(t *testing.T) {
	t.Parallel()
	f := testForm()
	f.Fields = append(f.Fields,
		inkform.Field{Name: "nobox", Type: inkform.FieldCheckbox, Page: 1},
		inkform.Field{Name: "nopage", Type: inkform.FieldSignature, Page: 7, Box: box(20, 40, 5, 5)},
		inkform.Field{Name: "future", Type: "barcode", Page: 1, Box: box(150, 150, 20, 20)},
		inkform.Field{Name: "notext", Type: inkform.FieldText, Page: 1},
	)
	p := newPen(15)
	di := inkOf(addr1, []inkform.Stroke{p.tick(fieldBox(f, "consent")), p.stroke(155, 155, 165, 165)})
	res, err := (&Interpreter{}).Interpret(context.Background(), f, testDoc(), di)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"nobox", "nopage", "notext"} {
		if fv, ok := res.Fields[name]; !ok || !inkform.IsEmpty(fv.Value) {
			t.Errorf("%s = %+v, want an empty entry", name, fv)
		}
	}
	if fv := res.Fields["future"]; fv.Value != nil || fv.Confidence != 0 || len(res.FieldInk["future"]) != 1 {
		t.Errorf("unknown type = %+v, want empty with confidence 0 and its ink kept", fv)
	}
	if res.Fields["consent"].Value != true {
		t.Error("a broken field spoiled a good one")
	}
}
