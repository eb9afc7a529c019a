package ink

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/inkform/inkform"
)

func TestBestTarget(t *testing.T) {
	t.Parallel()
	// Two 5 mm boxes 1 mm apart (a tight yes/no pair), a panel around both
	// and a box on its own.
	boxes := []inkform.Box{
		{X: 10, Y: 10, W: 5, H: 5}, // 0: yes
		{X: 16, Y: 10, W: 5, H: 5}, // 1: no
		{X: 5, Y: 5, W: 30, H: 15}, // 2: panel
		{X: 50, Y: 10, W: 5, H: 5}, // 3: alone
	}
	var targets []Target
	var all []int
	for i, b := range boxes {
		targets = append(targets, newTarget(i, -1, b, DefaultEdgeTolerance))
		all = append(all, i)
	}
	seg := func(xy ...float64) inkform.Stroke {
		var s inkform.Stroke
		for i := 0; i+1 < len(xy); i += 2 {
			s.Points = append(s.Points, inkform.Point{X: xy[i], Y: xy[i+1]})
		}
		return s
	}
	tests := []struct {
		name   string
		stroke inkform.Stroke
		want   int
	}{
		{"inside yes: the smaller box wins the tie with the panel", seg(11, 12, 14, 14), 0},
		{"mostly yes, tail into no", seg(11, 12, 17, 12), 0},
		{"mostly no, started in yes", seg(14, 12, 20, 13), 1},
		{"in the panel only", seg(25, 7, 30, 7), 2},
		{"1.5 mm over the edge of the lone box", seg(53, 12, 56.5, 12), 3},
		{"far from everything", seg(80, 80, 90, 90), -1},
		{"long line mostly outside the lone box", seg(40, 12, 80, 12), -1},
		{"dot in the gap between yes and no, equally near both: the first", seg(15.5, 12), 0},
		{"no points", inkform.Stroke{}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := bestTarget(&tt.stroke, targets, all, DefaultMinShare); got != tt.want {
				t.Errorf("bestTarget = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestAssign places strokes on a two-page form through both kinds of page
// address and checks where each one lands. Every stroke's first point has
// T set to its number, so the lists below name strokes by T.
func TestAssign(t *testing.T) {
	t.Parallel()
	form := &inkform.Form{FormTemplate: inkform.FormTemplate{
		Pages: []inkform.PageSpec{{Address: "1.1.1.1"}, {}},
		Fields: []inkform.Field{
			{Name: "a", Type: inkform.FieldText, Page: 1, Box: &inkform.Box{X: 10, Y: 10, W: 20, H: 10}},
			{Name: "c", Type: inkform.FieldChoice, Page: 1, Box: &inkform.Box{X: 5, Y: 30, W: 40, H: 12}, Options: []inkform.Option{
				{Value: "x", Box: inkform.Box{X: 10, Y: 33, W: 6, H: 6}}, {Value: "y", Box: inkform.Box{X: 30, Y: 33, W: 6, H: 6}},
			}},
			{Name: "b", Type: inkform.FieldText, Page: 2, Box: &inkform.Box{X: 10, Y: 10, W: 20, H: 10}},
			{Name: "flat", Type: inkform.FieldText, Page: 2, Box: &inkform.Box{X: 50, Y: 50, W: 20}},
		},
	}}
	doc := &inkform.Document{Pages: []inkform.DocumentPage{{Number: 1, Address: "1.1.1.1"}, {Number: 2, Address: "9.9.9.2"}}}
	nan := math.NaN()
	st := func(id int64, xy ...float64) inkform.Stroke {
		var s inkform.Stroke
		for i := 0; i+1 < len(xy); i += 2 {
			s.Points = append(s.Points, inkform.Point{X: xy[i], Y: xy[i+1], T: id})
		}
		return s
	}
	di := &inkform.DocumentInk{Pages: []inkform.PageInk{
		{Address: "1.1.1.1", Strokes: []inkform.Stroke{
			st(0, 12, 12, 20, 18),
			st(1, 31, 34, 35, 38),          // ticks y
			st(2, 20, 34, 26, 38),          // in c's group, beside the options
			st(3, 14, 12, nan, 15, 18, 18), // a corrupt sample inside a
			st(4, 100, 100, 120, 120),      // in no box
			st(5, 29, 15, 40, 15, 60, 15)}, // mostly outside a: below MinShare
		},
		{Address: "9.9.9.2", Strokes: []inkform.Stroke{st(6, 12, 12, 20, 18), st(7, 52, 50, 60, 50)}}, // on flat: unassigned
		{Address: "7.7.7.7", Strokes: []inkform.Stroke{st(8, 12, 12, 20, 18)}},                        // no page of this document
		{Address: "1.1.1.1", Strokes: []inkform.Stroke{st(9, 22, 12, 28, 18)}},                        // written later
	}}
	ids := func(strokes []inkform.Stroke) []int64 {
		out := []int64{}
		for _, s := range strokes {
			out = append(out, s.Points[0].T)
		}
		return out
	}
	a := Assign(form, doc, di, DefaultEdgeTolerance, DefaultMinShare)
	fields := []struct {
		name string
		want []int64
	}{
		{"a", []int64{0, 3, 9}},
		{"c", []int64{1, 2}},
		{"b", []int64{6}},
		{"flat", []int64{}}, // a box without area takes no ink
	}
	for i, f := range fields {
		if got := ids(a.FieldInk[i]); !slices.Equal(got, f.want) {
			t.Errorf("field %s has strokes %v, want %v", f.name, got, f.want)
		}
	}
	targets := map[[2]int][]int64{{1, -1}: {2}, {1, 0}: {}, {1, 1}: {1}}
	for i, tg := range a.Targets {
		if want, ok := targets[[2]int{tg.Field, tg.Option}]; ok && !slices.Equal(ids(a.ByTarget[i]), want) {
			t.Errorf("target %d/%d has strokes %v, want %v", tg.Field, tg.Option, ids(a.ByTarget[i]), want)
		}
	}
	if len(a.Targets) != 5 {
		t.Errorf("%d targets, want 5 (a, c's group and options, b)", len(a.Targets))
	}
	var un []string
	for _, p := range a.Unassigned {
		un = append(un, fmt.Sprint(p.Address, ids(p.Strokes)))
	}
	if want := []string{"1.1.1.1[4 5]", "9.9.9.2[7]", "7.7.7.7[8]"}; !slices.Equal(un, want) {
		t.Errorf("unassigned %q, want %q", un, want)
	}
	if none := Assign(form, doc, nil, DefaultEdgeTolerance, DefaultMinShare); len(none.Unassigned) != 0 || len(none.FieldInk) != len(form.Fields) || none.FieldInk[0] != nil {
		t.Errorf("no ink: %+v", none)
	}
}
