package charnet

import (
	"math"

	"github.com/inkform/inkform"
)

// Scorer is the per-call scratch of classification; the engine pools them
// so that classifying allocates nothing but its result. Its buffers are
// exported for the trainer's calibration, which runs the networks one by
// one.
type Scorer struct {
	Feat     FeatureScratch
	X        []float32 // the feature vector
	A, B     []float32 // ping-pong buffers of Net.Forward
	Logits   []float32
	netProbs []float32
	Probs    []float32 // EnsembleProbs' result
}

// NewScorer returns a scratch sized for m's networks.
func (m *Model) NewScorer() *Scorer {
	w := 0
	for i := range m.Nets {
		w = max(w, m.Nets[i].Width())
	}
	return &Scorer{
		X: make([]float32, NumFeatures), A: make([]float32, w), B: make([]float32, w),
		Logits: make([]float32, NumClasses), netProbs: make([]float32, NumClasses), Probs: make([]float32, NumClasses),
	}
}

// EnsembleProbs writes into s.Probs[lo:hi] the mean of the networks'
// calibrated probabilities over the classes of cs, calibrated once more;
// false when the ink has no points. Averaging probabilities rather than
// logits makes a disagreement between the views lower the confidence: when
// the trajectory network says 9 and the orientation network says 4,
// neither gets much more than half, and the character goes to
// verification.
func (m *Model) EnsembleProbs(s *Scorer, strokes []inkform.Stroke, cs CharsetID) bool {
	if !s.Feat.Features(strokes, s.X) {
		return false
	}
	m.Standardise(s.X)
	lo, hi := CharsetRange(cs)
	clear(s.Probs)
	inv := 1 / float32(len(m.Nets))
	for i := range m.Nets {
		n := &m.Nets[i]
		n.Forward(s.X, s.A, s.B, s.Logits)
		SoftmaxSubset(s.Logits, s.netProbs, lo, hi, n.Temp[cs])
		for j := lo; j < hi; j++ {
			s.Probs[j] += s.netProbs[j] * inv
		}
	}
	// The ensemble's own temperature: p^(1/T), renormalised.
	for j := lo; j < hi; j++ {
		s.netProbs[j] = float32(math.Log(math.Max(float64(s.Probs[j]), 1e-30)))
	}
	SoftmaxSubset(s.netProbs, s.Probs, lo, hi, m.Temp[cs])
	return true
}

// CharsetOf maps the domain's character sets to the model's; anything else
// reads as alnum.
func CharsetOf(cs inkform.Charset) CharsetID {
	switch cs {
	case inkform.CharsetDigits:
		return Digits
	case inkform.CharsetUpper:
		return Upper
	}
	return Alnum
}

// Standardise maps raw features to zero mean, unit variance in place.
func (m *Model) Standardise(x []float32) {
	for i := range x[:NumFeatures] {
		x[i] = (x[i] - m.Mean[i]) * m.InvStd[i]
	}
}
