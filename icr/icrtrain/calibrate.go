package icrtrain

import (
	"math"

	"github.com/inkform/inkform/icr/internal/charnet"
)

// calibrate fits softmax temperatures by temperature scaling — minimising
// the negative log-likelihood on calib, whose writers training never saw —
// in two stages. First one per network and character set. Averaging
// calibrated networks is then conservative (where they disagree the
// average is less sure than either, which is what sends doubtful
// characters to verification, but it also doubts right readings), so the
// average gets its own temperature per character set: the probability the
// pipeline compares with its threshold is the calibrated one.
func calibrate(m *charnet.Model, calib []Sample) {
	s := m.NewScorer()
	for i := range m.Nets {
		n := &m.Nets[i]
		var items []calibItem
		for _, smp := range calib {
			if !s.Feat.Features(smp.Strokes, s.X) {
				continue
			}
			m.Standardise(s.X)
			n.Forward(s.X, s.A, s.B, s.Logits)
			items = append(items, calibItem{append([]float32(nil), s.Logits...), charnet.ClassIndex(smp.Label)})
		}
		for cs := charnet.Digits; cs < charnet.NumCharsets; cs++ {
			n.Temp[cs] = fitTemperature(items, cs)
		}
	}
	m.Temp = [charnet.NumCharsets]float32{1, 1, 1}
	for cs := charnet.Digits; cs < charnet.NumCharsets; cs++ {
		lo, hi := charnet.CharsetRange(cs)
		var items []calibItem
		for _, smp := range calib {
			if c := charnet.ClassIndex(smp.Label); c < lo || c >= hi || !m.EnsembleProbs(s, smp.Strokes, cs) {
				continue
			}
			logp := make([]float32, charnet.NumClasses)
			for j := lo; j < hi; j++ {
				logp[j] = float32(math.Log(math.Max(float64(s.Probs[j]), 1e-30)))
			}
			items = append(items, calibItem{logp, charnet.ClassIndex(smp.Label)})
		}
		m.Temp[cs] = fitTemperature(items, cs)
	}
}

// calibItem is one calibration character: a network's logits and the
// true class.
type calibItem struct {
	logits []float32
	label  int
}

// fitTemperature minimises the NLL of the items of cs over a
// multiplicative grid: deterministic and, for one parameter, as good as an
// optimiser.
func fitTemperature(items []calibItem, cs charnet.CharsetID) float32 {
	lo, hi := charnet.CharsetRange(cs)
	p := make([]float32, charnet.NumClasses)
	best, bestNLL := float32(1), math.Inf(1)
	for t := 0.3; t < 6; t *= 1.02 {
		nll, n := 0.0, 0
		for _, it := range items {
			if it.label < lo || it.label >= hi {
				continue
			}
			charnet.SoftmaxSubset(it.logits, p, lo, hi, float32(t))
			nll -= math.Log(math.Max(float64(p[it.label]), 1e-12))
			n++
		}
		if n > 0 && nll < bestNLL {
			best, bestNLL = float32(t), nll
		}
	}
	return best
}
