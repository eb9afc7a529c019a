package icrtrain

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/icr/internal/icrtest"
)

// TestDistort checks that augmentation keeps every point, never makes an
// empty stroke, stays near the original size and repeats with its seed.
func TestDistort(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		strokes []inkform.Stroke
	}{
		{"one bar", icrtest.Line()},
		{"two-stroke four", icrtest.Four(0, 0)},
		{"E in four strokes", []inkform.Stroke{icrtest.Bar(0, 0, 6, 0), icrtest.HBar(0, 3, 0, 100), icrtest.HBar(0, 2.5, 3, 200), icrtest.HBar(0, 3, 6, 300)}},
		{"a dot", []inkform.Stroke{{Points: []inkform.Point{{X: 1, Y: 1}}}}},
	}
	for _, tt := range tests {
		want := 0
		for _, s := range tt.strokes {
			want += len(s.Points)
		}
		var a, b augmenter
		for seed := range uint64(200) {
			got := a.distort(rand.New(rand.NewPCG(seed, 1)), tt.strokes)
			n := 0
			for _, s := range got {
				if len(s.Points) == 0 {
					t.Fatalf("%s seed %d: empty stroke", tt.name, seed)
				}
				for _, p := range s.Points {
					if math.Abs(p.X) > 10 || math.Abs(p.Y) > 10 {
						t.Fatalf("%s seed %d: point %v far from the centred character", tt.name, seed, p)
					}
				}
				n += len(s.Points)
			}
			if n != want {
				t.Fatalf("%s seed %d: %d points, want %d", tt.name, seed, n, want)
			}
			again := b.distort(rand.New(rand.NewPCG(seed, 1)), tt.strokes)
			if len(again) != len(got) || again[0].Points[0] != got[0].Points[0] {
				t.Fatalf("%s seed %d: not reproducible", tt.name, seed)
			}
		}
	}
}
