package interpret

import (
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/ink"
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
	var targets []target
	var all []int
	for i, b := range boxes {
		targets = append(targets, target{field: i, option: -1, box: b, grown: ink.Expand(b, DefaultEdgeTolerance), area: ink.Area(b)})
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
