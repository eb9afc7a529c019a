package charnet

import (
	"math"
	"math/rand/v2"
)

// Classes are the model's outputs in order: digits, then upper-case letters.
const Classes = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// NumClasses is the number of outputs of every network.
const NumClasses = len(Classes)

// ClassIndex returns r's output index, or -1.
func ClassIndex(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= 'A' && r <= 'Z':
		return 10 + int(r-'A')
	}
	return -1
}

// Layer is a fully connected Layer; w is row-major, one row of In weights
// per output.
type Layer struct {
	In, Out int
	W, B    []float32
}

// Net is a multilayer perceptron over the features [From, To): ReLU
// between layers, raw logits out, and a softmax temperature per character
// set.
type Net struct {
	From, To int
	Temp     [NumCharsets]float32
	Layers   []Layer
}

// NewNet returns a network over the features [from, to) with the given
// hidden layer widths and He-initialised weights, suited to ReLU: the
// start of training, and a valid network for tests of the file format.
func NewNet(rng *rand.Rand, from, to int, hidden []int) Net {
	n := Net{From: from, To: to}
	in := to - from
	for _, out := range append(append([]int(nil), hidden...), NumClasses) {
		n.Layers = append(n.Layers, newLayer(rng, in, out))
		in = out
	}
	return n
}

// newLayer returns an in→out layer with He-initialised weights and zero
// biases.
func newLayer(rng *rand.Rand, in, out int) Layer {
	l := Layer{In: in, Out: out, W: make([]float32, in*out), B: make([]float32, out)}
	sd := math.Sqrt(2 / float64(in))
	for i := range l.W {
		l.W[i] = float32(rng.NormFloat64() * sd)
	}
	return l
}

// Width returns the widest layer output, the size of a scratch buffer.
func (n *Net) Width() int {
	w := 0
	for _, l := range n.Layers {
		w = max(w, l.Out, l.In)
	}
	return w
}

// Forward computes the logits of x into out, using a and b (each at least
// n.width() long) as ping-pong buffers; it allocates nothing.
func (n *Net) Forward(x, a, b, out []float32) {
	cur := x[n.From:n.To]
	for li := range n.Layers {
		l := &n.Layers[li]
		dst := a[:l.Out]
		if li == len(n.Layers)-1 {
			dst = out[:l.Out]
		}
		l.forward(cur, dst, li < len(n.Layers)-1)
		cur = dst
		a, b = b, a
	}
}

// forward writes l's outputs for in into dst[:l.Out], through a ReLU
// when relu is set; four output rows share each pass over the input.
func (l *Layer) forward(in, dst []float32, relu bool) {
	o := 0
	for ; o+4 <= l.Out; o += 4 {
		s0, s1, s2, s3 := dot4(in, l.W[o*l.In:(o+4)*l.In])
		dst[o], dst[o+1], dst[o+2], dst[o+3] = l.B[o]+s0, l.B[o+1]+s1, l.B[o+2]+s2, l.B[o+3]+s3
	}
	for ; o < l.Out; o++ {
		dst[o] = l.B[o] + Dot(in, l.W[o*l.In:(o+1)*l.In])
	}
	if relu {
		for i, v := range dst[:l.Out] {
			dst[i] = max(v, 0)
		}
	}
}

// Dot is the inner loop of inference and training; four accumulators let
// the CPU overlap the additions.
func Dot(x, w []float32) float32 {
	w = w[:len(x)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * w[i]
		s1 += x[i+1] * w[i+1]
		s2 += x[i+2] * w[i+2]
		s3 += x[i+3] * w[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * w[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// dot4 returns the inner products of x with four consecutive rows of w
// (len(w) = 4·len(x)). Reading x once for four rows halves the loads per
// multiply-add, which is what bounds this loop.
func dot4(x, w []float32) (s0, s1, s2, s3 float32) {
	n := len(x)
	// Reslicing to exactly n lets the compiler drop the bounds checks.
	w0, w1, w2, w3 := w[:n], w[n:][:n], w[2*n:][:n], w[3*n:][:n]
	for i, v := range x {
		s0 += v * w0[i]
		s1 += v * w1[i]
		s2 += v * w2[i]
		s3 += v * w3[i]
	}
	return s0, s1, s2, s3
}

// SoftmaxSubset writes into p the softmax of logits/temp over the classes
// [lo, hi); other entries are left alone.
func SoftmaxSubset(logits, p []float32, lo, hi int, temp float32) {
	m := float32(math.Inf(-1))
	for i := lo; i < hi; i++ {
		m = max(m, logits[i])
	}
	var sum float32
	for i := lo; i < hi; i++ {
		e := float32(math.Exp(float64((logits[i] - m) / temp)))
		p[i] = e
		sum += e
	}
	for i := lo; i < hi; i++ {
		p[i] /= sum
	}
}

// CharsetRange returns the output classes [lo, hi) of a character set; an
// unknown set reads as alnum, the widest.
func CharsetRange(cs CharsetID) (lo, hi int) {
	switch cs {
	case Digits:
		return 0, 10
	case Upper:
		return 10, NumClasses
	}
	return 0, NumClasses
}

// CharsetID indexes the per-charset calibration of a model.
type CharsetID int

const (
	Digits CharsetID = iota
	Upper
	Alnum
	NumCharsets
)
