package charnet

import (
	"math"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/icr/internal/icrtest"
)

func TestFeaturesInvariantToPlaceAndSize(t *testing.T) {
	t.Parallel()
	var sc FeatureScratch
	base := make([]float32, NumFeatures)
	got := make([]float32, NumFeatures)
	tests := []struct {
		name    string
		strokes []inkform.Stroke
	}{{"line", icrtest.Line()}, {"four", icrtest.Four(0, 0)}}
	for _, tt := range tests {
		if !sc.Features(tt.strokes, base) {
			t.Fatalf("%s: no features", tt.name)
		}
		// Tablet units to millimetres and anywhere on the page: the same
		// character.
		if !sc.Features(icrtest.Transform(tt.strokes, 0.0254, 130, -40), got) {
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
	sc.Features(icrtest.Line(), base)
	if base[offTraj+3] < 0.9 || base[offTraj+4] != 1 {
		t.Fatalf("first trajectory point %v, want moving down, pen down", base[offTraj:offTraj+trajChannels])
	}
	// The "4" has a pen-up jump, so some resampled points are in the air.
	sc.Features(icrtest.Four(0, 0), base)
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
	var sc FeatureScratch
	dst := make([]float32, NumFeatures)
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
		if ok := sc.Features(tt.strokes, dst); ok != tt.ok {
			t.Errorf("%s: ok %v, want %v", tt.name, ok, tt.ok)
		}
		for i, v := range dst {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatalf("%s: feature %d is %v", tt.name, i, v)
			}
		}
	}
}
