package charnet

import (
	"math"

	"github.com/inkform/inkform"
)

// Conv is a 3×3 convolution with zero padding, stride 1 and ReLU, over
// maps stored pixel-major (HWC), optionally followed by a 2×2 max pool.
// W holds one row of Out weights per input tap: row (ky·3+kx)·In+ci, so
// that the inner loop runs over contiguous output channels and skips the
// zeros that sparse ink and ReLU leave in the input.
type Conv struct {
	In, Out int
	Pool    bool
	W, B    []float32
}

// CNN is the convolutional character network: ink maps (InkMaps) through
// a few Conv layers, flattened, joined by the global values, then fully
// connected layers (ReLU between them) to NumClasses logits. It also
// carries its calibration and the cascade's settings (see Cascade).
type CNN struct {
	Side  int
	Convs []Conv
	Dense []Layer
	// Temp is the softmax temperature of the CNN alone, per character set.
	Temp [NumCharsets]float32
	// Gate, per character set: the cascade runs the CNN only for
	// characters whose MLP top probability is below it (above 1: always).
	Gate [NumCharsets]float32
	// MixWeight is the CNN's share, per character set, when its
	// calibrated probabilities are averaged with the MLP's; MixTemp
	// calibrates that average.
	MixWeight [NumCharsets]float32
	MixTemp   [NumCharsets]float32
	// Settings records how the network was trained (cmd/icrtrain flags).
	Settings string
	// Members are further networks trained alike from other seeds: their
	// logits are averaged with this network's, and the calibration and
	// cascade settings above apply to the average. A member has no
	// members of its own, and its own calibration fields are not used.
	Members []*CNN
}

// CNNScratch holds the activations of one forward pass; training reads
// them back for the gradient. Make one with (*CNN).NewScratch.
type CNNScratch struct {
	Feat FeatureScratch
	// Maps is the input; ConvOut[l] the output of conv l after ReLU,
	// Pooled[l] after its pool (the same slice without one) and ArgMax[l]
	// the pooled pixels' sources.
	Maps    []float32
	ConvOut [][]float32
	Pooled  [][]float32
	ArgMax  [][]int32
	// DenseIn[0] is the flattened maps and the globals; DenseIn[i] the
	// input of dense layer i.
	DenseIn [][]float32
	Logits  []float32
	Probs   []float32
	// nz is the convolutions' list of non-zero inputs (see convForward).
	nz nonZeros
	// members holds the passes of the network's members.
	members []*CNNScratch
}

// SideAt returns the map side at the input of conv l.
func (c *CNN) SideAt(l int) int {
	s := c.Side
	for i := 0; i < l; i++ {
		if c.Convs[i].Pool {
			s /= 2
		}
	}
	return s
}

// FlatSize is the number of values the last conv layer hands to the
// dense layers (the globals come on top).
func (c *CNN) FlatSize() int {
	last := len(c.Convs) - 1
	s := c.SideAt(last)
	if c.Convs[last].Pool {
		s /= 2
	}
	return s * s * c.Convs[last].Out
}

// NewScratch returns buffers sized for c.
func (c *CNN) NewScratch() *CNNScratch {
	sc := &CNNScratch{Maps: make([]float32, c.Side*c.Side*MapChannels), Logits: make([]float32, NumClasses), Probs: make([]float32, NumClasses)}
	for l, cv := range c.Convs {
		s := c.SideAt(l)
		out := make([]float32, s*s*cv.Out)
		sc.ConvOut = append(sc.ConvOut, out)
		if cv.Pool {
			sc.Pooled = append(sc.Pooled, make([]float32, s*s/4*cv.Out))
			sc.ArgMax = append(sc.ArgMax, make([]int32, s*s/4*cv.Out))
		} else {
			sc.Pooled = append(sc.Pooled, out)
			sc.ArgMax = append(sc.ArgMax, nil)
		}
	}
	for _, l := range c.Dense {
		sc.DenseIn = append(sc.DenseIn, make([]float32, l.In))
	}
	n, maxIn := 0, 0
	for l, cv := range c.Convs {
		s := c.SideAt(l)
		n, maxIn = max(n, s*s*cv.In), max(maxIn, cv.In)
	}
	sc.nz = newNonZeros(n, maxIn)
	for _, m := range c.Members {
		sc.members = append(sc.members, m.NewScratch())
	}
	return sc
}

// Forward computes the logits of one character into sc.Logits (with
// members, the mean of every network's logits); false when the ink has no
// points. It allocates nothing.
func (c *CNN) Forward(sc *CNNScratch, strokes []inkform.Stroke) bool {
	flat := c.FlatSize()
	if !sc.Feat.InkMaps(strokes, c.Side, sc.Maps, sc.DenseIn[0][flat:]) {
		return false
	}
	c.forwardMaps(sc)
	if len(c.Members) == 0 {
		return true
	}
	for i, m := range c.Members {
		ms := sc.members[i]
		if m.Side == c.Side {
			// The same maps: drawing them again would give the same values.
			copy(ms.Maps, sc.Maps)
			copy(ms.DenseIn[0][m.FlatSize():], sc.DenseIn[0][flat:])
			m.forwardMaps(ms)
		} else if !m.Forward(ms, strokes) {
			return false
		}
		for j, v := range ms.Logits {
			sc.Logits[j] += v
		}
	}
	scale := 1 / float32(len(c.Members)+1)
	for j := range sc.Logits {
		sc.Logits[j] *= scale
	}
	return true
}

// forwardMaps runs the layers of c (not its members) on the ink maps and
// globals already in sc.
func (c *CNN) forwardMaps(sc *CNNScratch) {
	x := sc.Maps
	for l := range c.Convs {
		cv := &c.Convs[l]
		s := c.SideAt(l)
		convForward(cv, s, x, sc.ConvOut[l], &sc.nz)
		if cv.Pool {
			maxPool(sc.ConvOut[l], s, cv.Out, sc.Pooled[l], sc.ArgMax[l])
		}
		x = sc.Pooled[l]
	}
	copy(sc.DenseIn[0][:c.FlatSize()], x)
	for li := range c.Dense {
		l := &c.Dense[li]
		in := sc.DenseIn[li]
		dst := sc.Logits
		if li < len(c.Dense)-1 {
			dst = sc.DenseIn[li+1]
		}
		l.forward(in, dst, li < len(c.Dense)-1)
	}
}

// Probs writes the CNN's calibrated probabilities over the classes of cs
// into sc.Probs; false when the ink has no points.
func (c *CNN) Probs(sc *CNNScratch, strokes []inkform.Stroke, cs CharsetID) bool {
	if !c.Forward(sc, strokes) {
		return false
	}
	lo, hi := CharsetRange(cs)
	SoftmaxSubset(sc.Logits, sc.Probs, lo, hi, c.Temp[cs])
	return true
}

// maxPool halves x (side×side×ch) into y, recording in arg which value of
// x each output took.
func maxPool(x []float32, side, ch int, y []float32, arg []int32) {
	h := side / 2
	for py := 0; py < h; py++ {
		for px := 0; px < h; px++ {
			o := (py*h + px) * ch
			i00 := ((2*py)*side + 2*px) * ch
			i01, i10 := i00+ch, i00+side*ch
			i11 := i10 + ch
			for c := 0; c < ch; c++ {
				best, v := i00+c, x[i00+c]
				for _, j := range [3]int{i01 + c, i10 + c, i11 + c} {
					if x[j] > v {
						best, v = j, x[j]
					}
				}
				y[o+c], arg[o+c] = v, int32(best)
			}
		}
	}
}

// Cascade is the engine's reading of one character: the MLP ensemble
// first, and where its top probability is below the CNN's gate, the CNN
// too, their calibrated probabilities averaged and calibrated again. It
// writes into s.Probs and reports whether the CNN ran; ok is false for
// ink without points.
func Cascade(m *Model, c *CNN, s *Scorer, sc *CNNScratch, strokes []inkform.Stroke, cs CharsetID) (usedCNN, ok bool) {
	if !m.EnsembleProbs(s, strokes, cs) {
		return false, false
	}
	lo, hi := CharsetRange(cs)
	top := float32(0)
	for _, p := range s.Probs[lo:hi] {
		top = max(top, p)
	}
	if c == nil || top >= c.Gate[cs] || !c.Probs(sc, strokes, cs) {
		return false, true
	}
	Mix(s.Probs, sc.Probs, s.netProbs, lo, hi, c.MixWeight[cs], c.MixTemp[cs])
	return true, true
}

// Mix replaces mlp[lo:hi] by the average (1−w)·mlp + w·cnn sharpened by
// the temperature temp (p^(1/temp), renormalised); scratch is a buffer of
// at least hi values.
func Mix(mlp, cnn, scratch []float32, lo, hi int, w, temp float32) {
	for j := lo; j < hi; j++ {
		p := (1-w)*mlp[j] + w*cnn[j]
		scratch[j] = float32(math.Log(math.Max(float64(p), 1e-30)))
	}
	SoftmaxSubset(scratch, mlp, lo, hi, temp)
}
