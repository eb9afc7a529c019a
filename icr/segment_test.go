package icr

import (
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/icr/internal/icrtest"
)

func TestSegment(t *testing.T) {
	t.Parallel()
	concat := func(parts ...[]inkform.Stroke) []inkform.Stroke {
		var out []inkform.Stroke
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	tests := []struct {
		name    string
		strokes []inkform.Stroke
		want    []int // strokes per character, left to right
	}{
		{"empty", nil, nil},
		{"one bar", []inkform.Stroke{icrtest.Bar(0, 0, 6, 0)}, []int{1}},
		{"three bars", []inkform.Stroke{icrtest.Bar(0, 0, 6, 0), icrtest.Bar(3, 0, 6, 200), icrtest.Bar(6, 0, 6, 400)}, []int{1, 1, 1}},
		{"two-stroke fours", concat(icrtest.Four(0, 0), icrtest.Four(6, 1000)), []int{2, 2}},
		{"T with its bar", []inkform.Stroke{icrtest.Bar(2, 0, 6, 0), icrtest.HBar(0, 4, 0, 100)}, []int{2}},
		{"E in four strokes", []inkform.Stroke{icrtest.Bar(0, 0, 6, 0), icrtest.HBar(0, 3, 0, 100), icrtest.HBar(0, 2.5, 3, 200), icrtest.HBar(0, 3, 6, 300)}, []int{4}},
		// The T's bar drawn after the next character: merged back.
		{"late bar", []inkform.Stroke{icrtest.Bar(2, 0, 6, 0), icrtest.Bar(7, 0, 6, 200), icrtest.HBar(0.5, 3.5, 0, 400)}, []int{2, 1}},
		// Written right to left, read left to right.
		{"right to left", []inkform.Stroke{icrtest.Bar(6, 0, 4, 0), icrtest.Bar(0, 0, 6, 200)}, []int{1, 1}},
	}
	for _, tt := range tests {
		got := Segment(tt.strokes)
		if len(got) != len(tt.want) {
			t.Errorf("%s: %d characters, want %d", tt.name, len(got), len(tt.want))
			continue
		}
		for i, g := range got {
			if len(g) != tt.want[i] {
				t.Errorf("%s: character %d has %d strokes, want %d", tt.name, i, len(g), tt.want[i])
			}
		}
	}
	// A late stroke joins its character after the strokes written before it.
	late := Segment([]inkform.Stroke{icrtest.Bar(2, 0, 6, 0), icrtest.Bar(7, 0, 6, 200), icrtest.HBar(0.5, 3.5, 0, 400)})
	if late[0][1].Points[0].T != 400 {
		t.Error("writing order within a character not kept")
	}
	// Left to right: the shorter bar (written first, on the right) is last.
	got := Segment([]inkform.Stroke{icrtest.Bar(6, 0, 4, 0), icrtest.Bar(0, 0, 6, 200)})
	if got[1][0].Points[0].X != 6 {
		t.Error("characters not in left-to-right order")
	}
}

// TestSegmentManyStrokes guards against quadratic work: a field may hold as
// many strokes as a submission (20,000).
func TestSegmentManyStrokes(t *testing.T) {
	t.Parallel()
	strokes := make([]inkform.Stroke, 20_000)
	for i := range strokes {
		strokes[i] = icrtest.Bar(float64(i)*3, 0, 6, int64(i)*100)
	}
	if got := Segment(strokes); len(got) != len(strokes) {
		t.Fatalf("%d characters, want %d", len(got), len(strokes))
	}
}
