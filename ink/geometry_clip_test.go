package ink

import (
	"math/rand/v2"
	"testing"

	"github.com/inkform/inkform"
)

var geoBox10 = inkform.Box{X: 10, Y: 10, W: 10, H: 10}

func TestGeometryLengthInside(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		stroke     inkform.Stroke
		inside     float64
		share      float64
		clipPieces int
	}{
		{"fully inside", geoPoly(0.3, 12, 12, 18, 12), 6, 1, 1},
		{"half out on the left", geoPoly(0.3, 5, 15, 15, 15), 5, 0.5, 1},
		{"through the box", geoPoly(0.3, 0, 15, 30, 15), 10, 1.0 / 3, 1},
		{"diagonal corner to corner", geoPoly(50, 5, 5, 25, 25), 14.142135623730951, 0.5, 1},
		{"along the top edge", geoPoly(0.3, 12, 10, 18, 10), 6, 1, 1},
		{"outside", geoPoly(0.3, 0, 0, 30, 0), 0, 0, 0},
		{"out and back in", geoPoly(0.3, 12, 15, 25, 15, 25, 17, 12, 17), 16, 16.0 / 28, 2},
		{"dot inside", geoDot(15, 15), 0, 1, 1},
		{"dot outside", geoDot(9.9, 15), 0, 0, 0},
		{"dot on edge", geoDot(20, 20), 0, 1, 1},
		{"resting pen half in", inkform.Stroke{Points: []inkform.Point{{X: 15, Y: 15}, {X: 15, Y: 15}, {X: 25, Y: 25}, {X: 25, Y: 25}}}, 7.0710678118654755, 0.5, 1},
		{"no points", inkform.Stroke{}, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := LengthInside(&tt.stroke, geoBox10); !geoNear(got, tt.inside, 1e-9) {
				t.Errorf("LengthInside = %v, want %v", got, tt.inside)
			}
			if got := ShareInside(&tt.stroke, geoBox10); !geoNear(got, tt.share, 1e-9) {
				t.Errorf("ShareInside = %v, want %v", got, tt.share)
			}
			pieces := Clip(&tt.stroke, geoBox10)
			if len(pieces) != tt.clipPieces {
				t.Fatalf("Clip gave %d pieces, want %d: %+v", len(pieces), tt.clipPieces, pieces)
			}
			if got := TotalLength(pieces); !geoNear(got, tt.inside, 1e-9) {
				t.Errorf("clipped length = %v, want %v", got, tt.inside)
			}
			for _, p := range pieces {
				for _, q := range p.Points {
					if !Expand(geoBox10, 1e-9).Contains(q.X, q.Y) {
						t.Errorf("clipped point %+v lies outside the box", q)
					}
				}
			}
		})
	}
}

func TestGeometryClipInterpolates(t *testing.T) {
	t.Parallel()
	s := inkform.Stroke{Points: []inkform.Point{
		{X: 5, Y: 15, T: 100, F: 0.2},
		{X: 15, Y: 15, T: 200, F: 0.4},
	}}
	pieces := Clip(&s, geoBox10)
	if len(pieces) != 1 || len(pieces[0].Points) != 2 {
		t.Fatalf("Clip = %+v, want one piece of two points", pieces)
	}
	first := pieces[0].Points[0]
	if first.X != 10 || first.Y != 15 || first.T != 150 || !geoNear(first.F, 0.3, 1e-12) {
		t.Errorf("entry point = %+v, want x=10 t=150 f=0.3", first)
	}
	if last := pieces[0].Points[1]; last != s.Points[1] {
		t.Errorf("inner point changed: %+v", last)
	}
}

// TestClipMatchesLengthInside checks on random scribbles that the clipped
// pieces measure exactly what LengthInside reports, so cutouts and the
// assignment of strokes agree.
func TestGeometryClipMatchesLengthInside(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 11))
	for i := range 200 {
		var s inkform.Stroke
		for range 2 + rng.IntN(30) {
			s.Points = append(s.Points, inkform.Point{X: rng.Float64() * 30, Y: rng.Float64() * 30})
		}
		want := LengthInside(&s, geoBox10)
		pieces := Clip(&s, geoBox10)
		if got := TotalLength(pieces); !geoNear(got, want, 1e-9) {
			t.Fatalf("case %d: clipped length %v, LengthInside %v", i, got, want)
		}
		if got := LengthInside(&s, Expand(geoBox10, 100)); !geoNear(got, Length(&s), 1e-9) {
			t.Fatalf("case %d: a box around everything holds %v of %v", i, got, Length(&s))
		}
	}
}

func BenchmarkGeometryLengthInside(b *testing.B) {
	s := geoPoly(0.3, 12, 12, 14, 16, 22, 6) // a tick of ~13 mm, ~45 points
	box := inkform.Box{X: 10, Y: 10, W: 6, H: 6}
	for b.Loop() {
		LengthInside(&s, box)
	}
}
