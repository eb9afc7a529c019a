package icrtrain

import (
	"testing"

	"github.com/inkform/inkform"
)

// TestCoverage checks the risk–coverage counts of the embedded engine on
// the validation sources against a count by threshold: every character
// more confident than a point's confidence is among its N, and its wrong
// ones lie between those above the confidence and those at it or above.
// The counts at 92% (docs/recognition.md, round 8) are checked exactly,
// with and without test-time augmentation.
func TestCoverage(t *testing.T) {
	val, e := embeddedOnValidation(t)
	for _, tt := range []struct {
		cs          inkform.Charset
		lo, hi      rune
		at92, tta92 int // wrong among the 92% most confident; with 4 copies, seed 1
	}{
		{inkform.CharsetDigits, '0', '9', 5, 4},
		{inkform.CharsetUpper, 'A', 'Z', 27, 33},
	} {
		var ps []float64
		var wrong []bool
		for _, s := range val {
			if s.Label < tt.lo || s.Label > tt.hi {
				continue
			}
			c := e.Classify(s.Strokes, tt.cs)
			ps, wrong = append(ps, c[0].P), append(wrong, c[0].Char != s.Label)
		}
		pts := Coverage(e, val, tt.cs, 0, 1)
		if len(pts) != len(CoverageShares) {
			t.Fatalf("%s: %d points, want %d", tt.cs, len(pts), len(CoverageShares))
		}
		last := 0
		for _, pt := range pts {
			above, at, wrongAbove, wrongAt := 0, 0, 0, 0
			for i, p := range ps {
				if p > pt.Confidence {
					above++
					if wrong[i] {
						wrongAbove++
					}
				}
				if p >= pt.Confidence {
					at++
					if wrong[i] {
						wrongAt++
					}
				}
			}
			if pt.N != int(pt.Share*float64(len(ps))) || above > pt.N || at < pt.N ||
				pt.Wrong < wrongAbove || pt.Wrong > wrongAt || pt.Wrong < last {
				t.Errorf("%s at %.2f: %+v; by threshold %d above (%d wrong), %d at or above (%d wrong), %d characters",
					tt.cs, pt.Share, pt, above, wrongAbove, at, wrongAt, len(ps))
			}
			last = pt.Wrong
			if pt.Share == 0.92 && pt.Wrong != tt.at92 {
				t.Errorf("%s: %d wrong among the 92%% most confident, documented %d", tt.cs, pt.Wrong, tt.at92)
			}
		}
		for _, pt := range Coverage(e, val, tt.cs, 4, 1) {
			if pt.Share == 0.92 && pt.Wrong != tt.tta92 {
				t.Errorf("%s, 4 distorted copies: %d wrong among the 92%% most confident, documented %d", tt.cs, pt.Wrong, tt.tta92)
			}
		}
	}
}

// TestAcceptanceThreshold compares the stricter threshold on the
// validation sources with a brute-force search over every observed top
// probability: the lowest one not below 0.9 at which at most 0.3% of the
// accepted characters are wrong.
func TestAcceptanceThreshold(t *testing.T) {
	val, e := embeddedOnValidation(t)
	const floor, maxWrong = inkform.DefaultConfidenceThreshold, 0.003
	for _, tt := range []struct {
		cs     inkform.Charset
		lo, hi rune
	}{{inkform.CharsetDigits, '0', '9'}, {inkform.CharsetUpper, 'A', 'Z'}} {
		var ps []float64
		var ok []bool
		for _, s := range val {
			if s.Label < tt.lo || s.Label > tt.hi {
				continue
			}
			if c := e.Classify(s.Strokes, tt.cs); len(c) > 0 {
				ps, ok = append(ps, c[0].P), append(ok, c[0].Char == s.Label)
			}
		}
		want := 1.0
		for _, th := range ps {
			if th < floor || th >= want {
				continue
			}
			acc, wrong := 0, 0
			for i, p := range ps {
				if p >= th {
					acc++
					if !ok[i] {
						wrong++
					}
				}
			}
			if float64(wrong) <= maxWrong*float64(acc) {
				want = th
			}
		}
		got := AcceptanceThreshold(e, val, tt.cs, floor, maxWrong)
		if got != want || got >= 1 {
			t.Errorf("%s: threshold %v, brute force %v", tt.cs, got, want)
		}
		if r := Evaluate(e, val, tt.cs, got); float64(r.AcceptedWrong) > maxWrong*float64(r.Accepted) {
			t.Errorf("%s: at %v, %d wrong of %d accepted", tt.cs, got, r.AcceptedWrong, r.Accepted)
		}
	}
}
