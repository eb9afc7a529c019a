package icrtrain

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/inkform/inkform/icr/internal/charnet"
	"github.com/inkform/inkform/icr/internal/icrtest"
)

// TestCNNGradient compares the backward pass with finite differences of
// the loss for weights of every layer of a small network.
func TestCNNGradient(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 5))
	c := charnet.NewCNN(rng, 8, []int{4, 6}, []bool{true, false}, []int{8})
	for i := range c.Convs {
		for j := range c.Convs[i].B {
			c.Convs[i].B[j] = 0.05 // keep most ReLUs away from their kink
		}
	}
	for j := range c.Dense[0].B {
		c.Dense[0].B[j] = 0.5
	}
	strokes := icrtest.Four(0, 0)
	const label = 4
	w := newCNNWorker(c)
	loss := func() float64 {
		if !c.Forward(w.sc, strokes) {
			t.Fatal("no ink")
		}
		return dualLossGrad(w.sc.Logits, label, w.probs, w.dLogits)
	}
	loss()
	w.backward(c, label)
	params := w.params(c)
	grads := w.grads()
	checked := 0
	for k, p := range params {
		live := 0
		for n := 0; n < 8; n++ {
			i := rng.IntN(len(p))
			old := p[i]
			const eps = 2e-3
			p[i] = old + eps
			up := loss()
			p[i] = old - eps
			down := loss()
			p[i] = old
			num := (up - down) / (2 * eps)
			got := float64(grads[k][i])
			if math.Abs(num-got) > 0.02+0.05*math.Abs(num) {
				t.Errorf("param %d[%d]: backward %.5f, finite difference %.5f", k, i, got, num)
			}
			checked++
			if math.Abs(num) > 1e-3 {
				live++
			}
		}
		if live == 0 {
			t.Errorf("param %d: no sampled weight moves the loss; the check proves nothing", k)
		}
	}
	if checked < 30 {
		t.Fatalf("checked %d parameters", checked)
	}
}
