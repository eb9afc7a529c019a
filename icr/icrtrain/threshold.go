package icrtrain

import (
	"slices"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/icr"
)

// AcceptanceThreshold returns the lowest threshold, not below floor, at
// which at most the share maxWrong of the characters of cs in samples
// that reach it are misread: a stricter acceptance threshold per
// character set, chosen on the validation sources (docs/recognition.md,
// "a stricter threshold"). It returns 1 when no threshold below 1 is
// enough; the threshold is one of the observed top probabilities.
func AcceptanceThreshold(e *icr.Engine, samples []Sample, cs inkform.Charset, floor, maxWrong float64) float64 {
	// From the most probable down, each prefix is what a threshold at its
	// last probability accepts (equal probabilities go in together).
	rs := rankReadings(e, samples, cs, 0, 0)
	if i := slices.IndexFunc(rs, func(r reading) bool { return r.p < floor }); i >= 0 {
		rs = rs[:i]
	}
	best, wrong := 1.0, 0
	for i, r := range rs {
		if r.wrong {
			wrong++
		}
		if i+1 < len(rs) && rs[i+1].p == r.p {
			continue
		}
		if float64(wrong) <= maxWrong*float64(i+1) {
			best = r.p
		}
	}
	return best
}
