package icrtrain

import (
	"math"

	"github.com/inkform/inkform/icr/internal/charnet"
)

// trainer holds a network's gradients, Adam moments and activation
// buffers, sized once so that the training loop allocates nothing.
type trainer struct {
	n      *charnet.Net
	gW, gB [][]float32
	mW, vW [][]float32
	mB, vB [][]float32
	acts   [][]float32 // acts[0] is the input, acts[i+1] the output of layer i
	deltas [][]float32
	probs  []float32
	t      int
}

func newTrainer(n *charnet.Net) *trainer {
	t := &trainer{n: n, probs: make([]float32, charnet.NumClasses)}
	mk := func(size int) []float32 { return make([]float32, size) }
	t.acts = append(t.acts, nil)
	for _, l := range n.Layers {
		t.gW, t.mW, t.vW = append(t.gW, mk(len(l.W))), append(t.mW, mk(len(l.W))), append(t.vW, mk(len(l.W)))
		t.gB, t.mB, t.vB = append(t.gB, mk(l.Out)), append(t.mB, mk(l.Out)), append(t.vB, mk(l.Out))
		t.acts = append(t.acts, mk(l.Out))
		t.deltas = append(t.deltas, mk(l.Out))
	}
	return t
}

func (t *trainer) zeroGrad() {
	for i := range t.gW {
		clear(t.gW[i])
		clear(t.gB[i])
	}
}

// accumulate adds the gradient of one sample's loss and returns the loss and
// whether the 36-way reading was right.
func (t *trainer) accumulate(x []float32, label int) (float64, bool) {
	layers := t.n.Layers
	t.acts[0] = x[t.n.From:t.n.To]
	for li := range layers {
		l := &layers[li]
		in, out := t.acts[li], t.acts[li+1]
		for o := 0; o < l.Out; o++ {
			s := l.B[o] + charnet.Dot(in, l.W[o*l.In:(o+1)*l.In])
			if li < len(layers)-1 && s < 0 {
				s = 0
			}
			out[o] = s
		}
	}
	logits := t.acts[len(layers)]
	last := t.deltas[len(layers)-1]

	charnet.SoftmaxSubset(logits, t.probs, 0, charnet.NumClasses, 1)
	best := 0
	for i, p := range t.probs {
		if p > t.probs[best] {
			best = i
		}
		last[i] = p
	}
	last[label]--
	loss := -math.Log(math.Max(float64(t.probs[label]), 1e-12))

	cs := charnet.Upper
	if label < 10 {
		cs = charnet.Digits
	}
	lo, hi := charnet.CharsetRange(cs)
	charnet.SoftmaxSubset(logits, t.probs, lo, hi, 1)
	for i := lo; i < hi; i++ {
		last[i] += t.probs[i]
	}
	last[label]--
	loss -= math.Log(math.Max(float64(t.probs[label]), 1e-12))

	for li := len(layers) - 1; li >= 0; li-- {
		l := &layers[li]
		in, delta := t.acts[li], t.deltas[li]
		gW, gB := t.gW[li], t.gB[li]
		for o, d := range delta[:l.Out] {
			if d == 0 {
				continue
			}
			gB[o] += d
			row := gW[o*l.In : (o+1)*l.In]
			for i, a := range in[:l.In] {
				row[i] += d * a
			}
		}
		if li == 0 {
			break
		}
		prev := t.deltas[li-1]
		clear(prev)
		for o, d := range delta[:l.Out] {
			if d == 0 {
				continue
			}
			w := l.W[o*l.In : (o+1)*l.In]
			for i := range prev[:l.In] {
				prev[i] += d * w[i]
			}
		}
		for i, a := range in[:l.In] {
			if a <= 0 {
				prev[i] = 0 // ReLU
			}
		}
	}
	return loss, best == label
}

// adam applies one Adam step with the batch-mean gradient.
func (t *trainer) adam(lr float64, batch int) {
	t.t++
	step, scale := adamStep(t.t, lr), 1/float32(batch)
	for li := range t.n.Layers {
		l := &t.n.Layers[li]
		adamUpdate(l.W, t.gW[li], t.mW[li], t.vW[li], scale, step, 1)
		adamUpdate(l.B, t.gB[li], t.mB[li], t.vB[li], scale, step, 1)
	}
}

// adamStep is Adam's bias-corrected step size at step t (from 1).
func adamStep(t int, lr float64) float32 {
	const b1, b2 = 0.9, 0.999
	c1 := 1 - math.Pow(b1, float64(t))
	c2 := 1 - math.Pow(b2, float64(t))
	return float32(lr * math.Sqrt(c2) / c1)
}

// adamUpdate applies one Adam step to p with the gradient g·scale and the
// moments m and v, after multiplying p by decay (AdamW's decoupled weight
// decay; 1 for none).
func adamUpdate(p, g, m, v []float32, scale, step, decay float32) {
	const b1, b2, eps = 0.9, 0.999, 1e-8
	for i := range p {
		gi := g[i] * scale
		m[i] = b1*m[i] + (1-b1)*gi
		v[i] = b2*v[i] + (1-b2)*gi*gi
		p[i] = p[i]*decay - step*m[i]/(float32(math.Sqrt(float64(v[i])))+eps)
	}
}
