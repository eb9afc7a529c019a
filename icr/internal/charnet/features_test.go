package icr

import (
	"math"
	"testing"

	"github.com/inkform/inkform"
)

// lineStrokes is a vertical bar, 6 mm high: a "1" or an "I".
func lineStrokes() []inkform.Stroke {
	var s inkform.Stroke
	for i := 0; i <= 20; i++ {
		s.Points = append(s.Points, inkform.Point{X: 10 + 0.01*float64(i), Y: 20 + 0.3*float64(i), T: int64(10 * i)})
	}
	return []inkform.Stroke{s}
}

// fourStrokes is a "4" in two strokes: an "L" and a vertical bar through it.
func fourStrokes(x0 float64, t0 int64) []inkform.Stroke {
	l := inkform.Stroke{Points: []inkform.Point{{X: x0 + 2, Y: 0, T: t0}, {X: x0, Y: 4, T: t0 + 50}, {X: x0 + 4, Y: 4, T: t0 + 100}}}
	bar := inkform.Stroke{Points: []inkform.Point{{X: x0 + 3, Y: 1, T: t0 + 300}, {X: x0 + 3, Y: 6, T: t0 + 350}}}
	return []inkform.Stroke{l, bar}
}

func transform(strokes []inkform.Stroke, scale, dx, dy float64) []inkform.Stroke {
	out := make([]inkform.Stroke, len(strokes))
	for i, s := range strokes {
		for _, p := range s.Points {
			out[i].Points = append(out[i].Points, inkform.Point{X: p.X*scale + dx, Y: p.Y*scale + dy, T: p.T})
		}
	}
	return out
}

func TestFeaturesInvariantToPlaceAndSize(t *testing.T) {
	t.Parallel()
	var sc featureScratch
	base := make([]float32, numFeatures)
	got := make([]float32, numFeatures)
	tests := []struct {
		name    string
		strokes []inkform.Stroke
	}{{"line", lineStrokes()}, {"four", fourStrokes(0, 0)}}
	for _, tt := range tests {
		if !sc.features(tt.strokes, base) {
			t.Fatalf("%s: no features", tt.name)
		}
		// Tablet units to millimetres and anywhere on the page: the same
		// character.
		if !sc.features(transform(tt.strokes, 0.0254, 130, -40), got) {
			t.Fatalf("%s: no features", tt.name)
		}
		for i := range base {
			if math.Abs(float64(base[i]-got[i])) > 1e-4 {
				t.Fatalf("%s: feature %d is %v, was %v", tt.name, i, got[i], base[i])
			}
		}
	}
	// A vertical bar: the pen moves down (direction channel y≈1) and stays
	// on the paper.
	sc.features(lineStrokes(), base)
	if base[offTraj+3] < 0.9 || base[offTraj+4] != 1 {
		t.Fatalf("first trajectory point %v, want moving down, pen down", base[offTraj:offTraj+trajChannels])
	}
	// The "4" has a pen-up jump, so some resampled points are in the air.
	sc.features(fourStrokes(0, 0), base)
	up := 0
	for k := 0; k < trajPoints; k++ {
		if base[offTraj+k*trajChannels+4] == 0 {
			up++
		}
	}
	if up == 0 || up == trajPoints {
		t.Fatalf("%d of %d points in the air", up, trajPoints)
	}
}

func TestFeaturesEdgeCases(t *testing.T) {
	t.Parallel()
	var sc featureScratch
	dst := make([]float32, numFeatures)
	tests := []struct {
		name    string
		strokes []inkform.Stroke
		ok      bool
	}{
		{"nil", nil, false},
		{"empty strokes", []inkform.Stroke{{}, {}}, false},
		{"one point", []inkform.Stroke{{Points: []inkform.Point{{X: 1, Y: 1}}}}, true},
		{"repeated point", []inkform.Stroke{{Points: []inkform.Point{{X: 1, Y: 1}, {X: 1, Y: 1}}}}, true},
	}
	for _, tt := range tests {
		if ok := sc.features(tt.strokes, dst); ok != tt.ok {
			t.Errorf("%s: ok %v, want %v", tt.name, ok, tt.ok)
		}
		for i, v := range dst {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatalf("%s: feature %d is %v", tt.name, i, v)
			}
		}
	}
}
