package ink

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/inkform/inkform"
)

// zigzag scribbles over the box: passes left and right, moving down by
// spacing each time.
func geoZigzag(b inkform.Box, spacing float64) inkform.Stroke {
	var xy []float64
	left := true
	for y := b.Y; y <= b.Y+b.H+1e-9; y += spacing {
		x := b.X + b.W
		if left {
			x = b.X
		}
		xy = append(xy, x, y)
		left = !left
	}
	return geoPoly(0.3, xy...)
}

func geoCircle(cx, cy, r float64) inkform.Stroke {
	var xy []float64
	for a := 0.0; a <= 2*math.Pi+0.01; a += 0.1 {
		xy = append(xy, cx+r*math.Cos(a), cy+r*math.Sin(a))
	}
	return geoPoly(0.3, xy...)
}

func TestGeometryCoverage(t *testing.T) {
	t.Parallel()
	box := inkform.Box{X: 10, Y: 10, W: 5, H: 5}
	line := geoPoly(0.3, 9, 12.5, 16, 12.5)
	tests := []struct {
		name     string
		strokes  []inkform.Stroke
		min, max float64
	}{
		{"nothing", nil, 0, 0},
		{"far away", []inkform.Stroke{geoPoly(0.3, 30, 30, 40, 40)}, 0, 0},
		// A 1 mm band across a 5 mm box covers a fifth of it.
		{"line across", []inkform.Stroke{line}, 0.15, 0.25},
		{"same line traced twice", []inkform.Stroke{line, line}, 0.15, 0.25},
		{"dot", []inkform.Stroke{geoDot(12.5, 12.5)}, 0.01, 0.06},
		{"cross", []inkform.Stroke{geoPoly(0.3, 10.5, 10.5, 14.5, 14.5), geoPoly(0.3, 14.5, 10.5, 10.5, 14.5)}, 0.3, 0.6},
		{"dense scribble", []inkform.Stroke{geoZigzag(box, 0.7)}, 0.9, 1},
		{"loose scribble", []inkform.Stroke{geoZigzag(box, 2.5)}, 0.3, 0.7},
		{"band reaching in from outside", []inkform.Stroke{geoPoly(0.3, 5, 9.8, 20, 9.8)}, 0.02, 0.12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Coverage(tt.strokes, box, 1)
			if got < tt.min || got > tt.max {
				t.Errorf("Coverage = %.3f, want %.2f..%.2f", got, tt.min, tt.max)
			}
		})
	}
	if got := Coverage([]inkform.Stroke{line}, inkform.Box{X: 10, Y: 10}, 1); got != 0 {
		t.Errorf("Coverage of an empty box = %v, want 0", got)
	}
}

// TestCoverageMonotonic checks that more ink never covers less and that the
// estimate stays within 0..1, on random ink and a large box whose grid is
// capped.
func TestGeometryCoverageMonotonic(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 5))
	for _, box := range []inkform.Box{{X: 0, Y: 0, W: 6, H: 6}, {X: 0, Y: 0, W: 400, H: 300}} {
		var strokes []inkform.Stroke
		last := 0.0
		for range 30 {
			x, y := rng.Float64()*box.W, rng.Float64()*box.H
			strokes = append(strokes, geoPoly(0.3, x, y, x+rng.NormFloat64()*box.W/4, y+rng.NormFloat64()*box.H/4))
			got := Coverage(strokes, box, 1)
			if got < last || got > 1 {
				t.Fatalf("box %+v: coverage went from %v to %v", box, last, got)
			}
			last = got
		}
		if last == 0 {
			t.Fatalf("box %+v: 30 strokes covered nothing", box)
		}
	}
}

func TestGeometryReversals(t *testing.T) {
	t.Parallel()
	box := inkform.Box{X: 10, Y: 10, W: 5, H: 5}
	// A slow straight stroke with jitter, which must not count as turning.
	rng := rand.New(rand.NewPCG(1, 2))
	var jittery inkform.Stroke
	for i := range 60 {
		jittery.Points = append(jittery.Points, inkform.Point{X: 10 + float64(i)*0.1 + rng.NormFloat64()*0.04, Y: 12 + rng.NormFloat64()*0.04})
	}
	tests := []struct {
		name    string
		strokes []inkform.Stroke
		want    int
	}{
		{"tick", []inkform.Stroke{geoPoly(0.3, 10.5, 12.5, 12, 14.5, 15, 10)}, 0},
		{"cross", []inkform.Stroke{geoPoly(0.3, 10, 10, 15, 15), geoPoly(0.3, 15, 10, 10, 15)}, 0},
		{"circle", []inkform.Stroke{geoCircle(12.5, 12.5, 2)}, 0},
		{"narrow V", []inkform.Stroke{geoPoly(0.3, 10, 10, 11, 15, 12, 10)}, 1},
		{"zigzag of 7 passes", []inkform.Stroke{geoZigzag(box, 5.0/7)}, 6},
		{"rounded U-turn", []inkform.Stroke{geoPoly(0.3, 10, 10, 15, 10, 15.4, 10.2, 15.4, 10.6, 15, 10.8, 10, 10.8)}, 1},
		{"jittery resting pen", []inkform.Stroke{jittery}, 0},
		{"dot", []inkform.Stroke{geoDot(1, 1)}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Reversals(tt.strokes, 0.5); got != tt.want {
				t.Errorf("Reversals = %d, want %d", got, tt.want)
			}
		})
	}
}

func BenchmarkGeometryCoverage(b *testing.B) {
	box := inkform.Box{X: 10, Y: 10, W: 6, H: 6}
	strokes := []inkform.Stroke{geoPoly(0.3, 10.5, 10.5, 15.5, 15.5), geoPoly(0.3, 15.5, 10.5, 10.5, 15.5)}
	for b.Loop() {
		Coverage(strokes, box, 1)
	}
}

func BenchmarkGeometryReversals(b *testing.B) {
	strokes := []inkform.Stroke{geoZigzag(inkform.Box{X: 10, Y: 10, W: 6, H: 6}, 0.7)}
	for b.Loop() {
		Reversals(strokes, 0.5)
	}
}
