package interpret

import (
	"math"
	"testing"

	"github.com/inkform/inkform"
)

var markBox = inkform.Box{X: 20, Y: 40, W: 5, H: 5}

// TestReadMark runs each kind of mark written by 20 differently seeded
// hands, so the thresholds are tested against variation, not one drawing.
func TestReadMark(t *testing.T) {
	t.Parallel()
	b := markBox
	tests := []struct {
		name      string
		ink       func(p *pen) []inkform.Stroke
		ticked    bool
		cancelled bool
		minConf   float64
		maxConf   float64
	}{
		{"empty", func(p *pen) []inkform.Stroke { return nil }, false, false, 1, 1},
		{"tick", func(p *pen) []inkform.Stroke { return []inkform.Stroke{p.tick(b)} }, true, false, 0.95, 1},
		{"cross", func(p *pen) []inkform.Stroke { return p.cross(b) }, true, false, 0.95, 1},
		{"circle", func(p *pen) []inkform.Stroke { return []inkform.Stroke{p.circle(b, 2)} }, true, false, 0.95, 1},
		{"loose fill", func(p *pen) []inkform.Stroke { return []inkform.Stroke{p.scribble(b, 1.6)} }, true, false, 0.95, 1},
		{"stray dot", func(p *pen) []inkform.Stroke { return []inkform.Stroke{p.dot(22, 42)} }, false, false, 0.95, 1},
		{"dot on the edge", func(p *pen) []inkform.Stroke { return []inkform.Stroke{p.dot(25, 42)} }, false, false, 0.95, 1},
		{"accidental flick", func(p *pen) []inkform.Stroke { return []inkform.Stroke{p.flick(22, 42)} }, false, false, 0.9, 1},
		{"two dots", func(p *pen) []inkform.Stroke { return []inkform.Stroke{p.dot(21, 41), p.dot(23, 44)} }, false, false, 0.9, 1},
		{"scribbled out", func(p *pen) []inkform.Stroke { return []inkform.Stroke{p.scribble(b, 0.6)} }, false, true, 0.5, 0.5},
		{"scribbled out over a tick", func(p *pen) []inkform.Stroke {
			return []inkform.Stroke{p.tick(b), p.scribble(b, 0.7)}
		}, false, true, 0.5, 0.5},
		{"tick straying 1.5 mm over the right edge", func(p *pen) []inkform.Stroke {
			return shift([]inkform.Stroke{p.tick(b)}, 1.5, -1.2)
		}, true, false, 0.95, 1},
		// Borderline marks are decided but sent to a person.
		{"short dash", func(p *pen) []inkform.Stroke { return []inkform.Stroke{p.stroke(21, 42, 22.7, 42)} }, true, false, 0.5, 0.85},
		{"dash just too short", func(p *pen) []inkform.Stroke { return []inkform.Stroke{p.stroke(21, 42, 22.2, 42)} }, false, false, 0.5, 0.85},
	}
	o := Options{}.withDefaults()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for seed := range uint64(20) {
				m := o.readMark(tt.ink(newPen(seed)), b)
				if m.ticked != tt.ticked || m.cancelled != tt.cancelled {
					t.Fatalf("seed %d: ticked=%v cancelled=%v, want %v %v", seed, m.ticked, m.cancelled, tt.ticked, tt.cancelled)
				}
				if m.confidence < tt.minConf || m.confidence > tt.maxConf {
					t.Fatalf("seed %d: confidence %.3f, want %.2f..%.2f", seed, m.confidence, tt.minConf, tt.maxConf)
				}
			}
		})
	}
}

// TestReadMarkConfidenceIsSmooth checks that a growing dash moves the
// confidence down to 0.5 at the threshold and up again, without jumps.
func TestReadMarkConfidenceIsSmooth(t *testing.T) {
	t.Parallel()
	o := Options{}.withDefaults()
	var prevLen, prevConf float64
	for l := 0.2; l <= 4; l += 0.1 {
		// A straight dash without jitter, so length is exact.
		s := inkform.Stroke{Points: []inkform.Point{{X: 21, Y: 42}, {X: 21 + l, Y: 42}}}
		m := o.readMark([]inkform.Stroke{s}, markBox)
		if m.ticked != (l >= o.MinMarkLength) {
			t.Errorf("dash of %.1f mm: ticked=%v", l, m.ticked)
		}
		if prevLen > 0 && math.Abs(m.confidence-prevConf) > 0.15 {
			t.Errorf("confidence jumps from %.3f (%.1f mm) to %.3f (%.1f mm)", prevConf, prevLen, m.confidence, l)
		}
		prevLen, prevConf = l, m.confidence
	}
}

func TestMarginConfidence(t *testing.T) {
	t.Parallel()
	tests := []struct {
		measure, threshold float64
		want               float64
	}{
		{1, 1, 0.5},
		{2, 1, 0.95},
		{0.5, 1, 0.95},
		{3, 1.5, 0.95},
		{0, 1, 1},
		{1e9, 1, 1},
	}
	for _, tt := range tests {
		if got := marginConfidence(tt.measure, tt.threshold); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("marginConfidence(%v, %v) = %v, want %v", tt.measure, tt.threshold, got, tt.want)
		}
	}
	if a, b := marginConfidence(1.2, 1), marginConfidence(1.5, 1); !(0.5 < a && a < b && b < 0.95) {
		t.Errorf("confidence is not rising between the threshold and twice it: %v, %v", a, b)
	}
}

func TestReadSignatureAndDrawing(t *testing.T) {
	t.Parallel()
	sig := inkform.Box{X: 20, Y: 250, W: 80, H: 20}
	o := Options{}.withDefaults()
	tests := []struct {
		name     string
		ink      func(p *pen) []inkform.Stroke
		present  bool
		minConf  float64
		maxConf  float64
		drawing  bool // what a drawing area of the same box reads
		drawConf float64
	}{
		{"none", func(p *pen) []inkform.Stroke { return nil }, false, 1, 1, false, 1},
		{"signature", func(p *pen) []inkform.Stroke { return p.signature(sig, 0.6) }, true, 0.95, 1, true, 0.95},
		{"signature straying below", func(p *pen) []inkform.Stroke { return shift(p.signature(sig, 0.5), 0, 6) }, true, 0.95, 1, true, 0.95},
		{"initials", func(p *pen) []inkform.Stroke { return p.signature(inkform.Box{X: 20, Y: 250, W: 8, H: 20}, 0.5) }, false, 0.9, 1, true, 0.95},
		{"stray dot", func(p *pen) []inkform.Stroke { return []inkform.Stroke{p.dot(40, 260)} }, false, 0.95, 1, false, 0.95},
		{"one line a sixth of the width", func(p *pen) []inkform.Stroke { return []inkform.Stroke{p.stroke(30, 262, 43, 262)} }, true, 0.5, 0.8, true, 0.95},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			strokes := tt.ink(newPen(4))
			got := o.readSignature(strokes, sig)
			if got.Value != tt.present || got.Confidence < tt.minConf || got.Confidence > tt.maxConf || got.Source != inkform.SourcePen {
				t.Errorf("signature = %v (%.3f, %s), want %v (%.2f..%.2f)", got.Value, got.Confidence, got.Source, tt.present, tt.minConf, tt.maxConf)
			}
			d := o.readDrawing(strokes, sig)
			if d.Value != tt.drawing || d.Confidence < tt.drawConf {
				t.Errorf("drawing = %v (%.3f), want %v (≥ %.2f)", d.Value, d.Confidence, tt.drawing, tt.drawConf)
			}
		})
	}
}
