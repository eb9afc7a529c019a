package icr

import (
	"math"

	"github.com/inkform/inkform"
)

// scorer is the per-call scratch of classification; the engine pools them
// so that classifying allocates nothing but its result.
type scorer struct {
	fs       featureScratch
	x        []float32
	a, b     []float32
	logits   []float32
	netProbs []float32
	probs    []float32
}

func (m *Model) newScorer() *scorer {
	w := 0
	for i := range m.Nets {
		w = max(w, m.Nets[i].width())
	}
	return &scorer{
		x: make([]float32, numFeatures), a: make([]float32, w), b: make([]float32, w),
		logits: make([]float32, numClasses), netProbs: make([]float32, numClasses), probs: make([]float32, numClasses),
	}
}

// ensembleProbs writes into s.probs[lo:hi] the mean of the networks'
// calibrated probabilities over the classes of cs, calibrated once more;
// false when the ink has no points. Averaging probabilities rather than
// logits makes a disagreement between the views lower the confidence: when
// the trajectory network says 9 and the orientation network says 4,
// neither gets much more than half, and the character goes to
// verification.
func (m *Model) ensembleProbs(s *scorer, strokes []inkform.Stroke, cs charsetID) bool {
	if !s.fs.features(strokes, s.x) {
		return false
	}
	m.standardise(s.x)
	lo, hi := charsetRange(cs)
	clear(s.probs)
	inv := 1 / float32(len(m.Nets))
	for i := range m.Nets {
		n := &m.Nets[i]
		n.forward(s.x, s.a, s.b, s.logits)
		softmaxSubset(s.logits, s.netProbs, lo, hi, n.Temp[cs])
		for j := lo; j < hi; j++ {
			s.probs[j] += s.netProbs[j] * inv
		}
	}
	// The ensemble's own temperature: p^(1/T), renormalised.
	for j := lo; j < hi; j++ {
		s.netProbs[j] = float32(math.Log(math.Max(float64(s.probs[j]), 1e-30)))
	}
	softmaxSubset(s.netProbs, s.probs, lo, hi, m.Temp[cs])
	return true
}

// charsetOf maps the domain's character sets to the model's; anything else
// reads as alnum.
func charsetOf(cs inkform.Charset) charsetID {
	switch cs {
	case inkform.CharsetDigits:
		return csDigits
	case inkform.CharsetUpper:
		return csUpper
	}
	return csAlnum
}

// calibrate fits softmax temperatures by temperature scaling — minimising
// the negative log-likelihood on calib, whose writers training never saw —
// in two stages. First one per network and character set. Averaging
// calibrated networks is then conservative (where they disagree the
// average is less sure than either, which is what sends doubtful
// characters to verification, but it also doubts right readings), so the
// average gets its own temperature per character set: the probability the
// pipeline compares with its threshold is the calibrated one.
func (m *Model) calibrate(calib []Sample) {
	s := m.newScorer()
	for i := range m.Nets {
		n := &m.Nets[i]
		var items []calibItem
		for _, smp := range calib {
			if !s.fs.features(smp.Strokes, s.x) {
				continue
			}
			m.standardise(s.x)
			n.forward(s.x, s.a, s.b, s.logits)
			items = append(items, calibItem{append([]float32(nil), s.logits...), classIndex(smp.Label)})
		}
		for cs := csDigits; cs < numCharsets; cs++ {
			n.Temp[cs] = fitTemperature(items, cs)
		}
	}
	m.Temp = [numCharsets]float32{1, 1, 1}
	for cs := csDigits; cs < numCharsets; cs++ {
		lo, hi := charsetRange(cs)
		var items []calibItem
		for _, smp := range calib {
			if c := classIndex(smp.Label); c < lo || c >= hi || !m.ensembleProbs(s, smp.Strokes, cs) {
				continue
			}
			logp := make([]float32, numClasses)
			for j := lo; j < hi; j++ {
				logp[j] = float32(math.Log(math.Max(float64(s.probs[j]), 1e-30)))
			}
			items = append(items, calibItem{logp, classIndex(smp.Label)})
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
func fitTemperature(items []calibItem, cs charsetID) float32 {
	lo, hi := charsetRange(cs)
	p := make([]float32, numClasses)
	best, bestNLL := float32(1), math.Inf(1)
	for t := 0.3; t < 6; t *= 1.02 {
		nll, n := 0.0, 0
		for _, it := range items {
			if it.label < lo || it.label >= hi {
				continue
			}
			softmaxSubset(it.logits, p, lo, hi, float32(t))
			nll -= math.Log(math.Max(float64(p[it.label]), 1e-12))
			n++
		}
		if n > 0 && nll < bestNLL {
			best, bestNLL = float32(t), nll
		}
	}
	return best
}
