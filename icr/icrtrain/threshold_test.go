package icrtrain

import (
	"testing"

	"github.com/inkform/inkform"
)

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
