package icrtrain

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/inkform/inkform/icr/internal/charnet"
)

// CNNConfig sets up TrainCNN. Training is data-parallel over Workers
// goroutines, each summing the gradient of a fixed slice of every batch,
// and the slices' sums are added in worker order; every character's
// distortion draws from a generator seeded by (Seed, epoch, index). So the
// same config and samples give the same network byte for byte whatever
// the scheduling — but another worker count adds the floats in another
// order and gives another (equally good) network.
type CNNConfig struct {
	Seed        uint64
	Side        int
	Convs       []int  // widths of the 3×3 conv layers
	Pools       []bool // a 2×2 max pool after conv i
	Hidden      []int  // dense hidden widths
	Epochs      int
	Batch       int
	LR          float64 // peak learning rate of the one-cycle schedule
	WeightDecay float64 // decoupled (AdamW), on weights only
	Workers     int
	// Log, when set, receives one line per epoch.
	Log io.Writer
}

// DefaultCNNConfig is the configuration of the embedded network.
func DefaultCNNConfig() CNNConfig {
	return CNNConfig{
		Seed: 1, Side: 16, Convs: []int{16, 32, 64}, Pools: []bool{true, true, false}, Hidden: []int{128},
		Epochs: 30, Batch: 64, LR: 2e-3, WeightDecay: 0.05, Workers: 2,
	}
}

// String is the settings line recorded in the model file.
func (c CNNConfig) String() string {
	return fmt.Sprintf("seed=%d side=%d convs=%v pools=%v hidden=%v epochs=%d batch=%d lr=%g wd=%g workers=%d augment=on",
		c.Seed, c.Side, c.Convs, c.Pools, c.Hidden, c.Epochs, c.Batch, c.LR, c.WeightDecay, c.Workers)
}

// TrainCNN fits a convolutional network on train with AdamW, a one-cycle
// learning rate (linear warm-up over the first epoch, cosine decay to
// zero) and the dual loss of the MLPs, each character distorted anew every
// epoch. Calibration is separate (CalibrateCascade).
func TrainCNN(train []Sample, cfg CNNConfig) (*charnet.CNN, error) {
	if len(train) == 0 {
		return nil, errors.New("train cnn: no samples")
	}
	if len(cfg.Convs) < 1 || len(cfg.Convs) != len(cfg.Pools) || len(cfg.Convs) > charnet.MaxCNNLayers ||
		len(cfg.Hidden) > charnet.MaxCNNLayers-1 || cfg.Epochs < 1 || cfg.Batch < 1 || cfg.Workers < 1 || cfg.Side < 4 {
		return nil, fmt.Errorf("train cnn: bad config %v", cfg)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0xc11))
	c := charnet.NewCNN(rng, cfg.Side, cfg.Convs, cfg.Pools, cfg.Hidden)
	if s := cfg.Side; s>>countTrue(cfg.Pools)<<countTrue(cfg.Pools) != s {
		return nil, fmt.Errorf("train cnn: side %d does not halve %d times", s, countTrue(cfg.Pools))
	}
	c.Settings = cfg.String() + " sources=" + strings.Join(SourcesOf(train), ",")
	labels := make([]int, len(train))
	for i, s := range train {
		labels[i] = charnet.ClassIndex(s.Label)
	}
	ws := make([]*cnnWorker, cfg.Workers)
	for i := range ws {
		ws[i] = newCNNWorker(c)
	}
	opt := newAdamW(ws[0].params(c), cfg.WeightDecay)
	order := identity(len(train))
	perEpoch := (len(train) + cfg.Batch - 1) / cfg.Batch
	sched := oneCycle{peak: cfg.LR, warm: perEpoch, steps: cfg.Epochs * perEpoch}
	for ep := range cfg.Epochs {
		began := time.Now()
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		loss, correct := 0.0, 0
		for batch := range slices.Chunk(order, cfg.Batch) {
			l, n := parallelGrads(ws, func(w *cnnWorker, part []int) { w.run(c, train, labels, part, cfg.Seed, ep) }, batch)
			loss, correct = loss+l, correct+n
			opt.step(ws[0].grads(), sched.next(), len(batch))
		}
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, "cnn epoch %d: loss %.4f train acc %.4f (%.1fs)\n", ep+1,
				loss/float64(len(order)), float64(correct)/float64(len(order)), time.Since(began).Seconds())
		}
	}
	for _, p := range ws[0].params(c) {
		for _, v := range p {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, errors.New("train cnn: weights diverged")
			}
		}
	}
	return c, nil
}

// parallelGrads splits batch into one contiguous part per worker, runs
// them concurrently and adds the workers' gradients into the first
// worker's in worker order, so the sum does not depend on scheduling. It
// returns the summed loss and count of right readings.
func parallelGrads(ws []*cnnWorker, run func(w *cnnWorker, part []int), batch []int) (float64, int) {
	var wg sync.WaitGroup
	chunk := (len(batch) + len(ws) - 1) / len(ws)
	for wi, w := range ws {
		part := batch[min(wi*chunk, len(batch)):min((wi+1)*chunk, len(batch))]
		wg.Add(1)
		go func() {
			defer wg.Done()
			run(w, part)
		}()
	}
	wg.Wait()
	for _, w := range ws[1:] {
		ws[0].addGrads(w)
	}
	var loss float64
	correct := 0
	for _, w := range ws {
		loss += w.loss
		correct += w.correct
	}
	return loss, correct
}

// oneCycle is the learning-rate schedule: a linear rise to peak over warm
// steps, then a cosine decay to zero at steps.
type oneCycle struct {
	peak        float64
	warm, steps int
	step        int
}

func (o *oneCycle) next() float64 {
	lr := o.peak * float64(o.step+1) / float64(o.warm)
	if o.step >= o.warm {
		lr = o.peak * 0.5 * (1 + math.Cos(math.Pi*float64(o.step-o.warm)/float64(o.steps-o.warm)))
	}
	o.step++
	return lr
}

// identity returns 0, 1, …, n−1.
func identity(n int) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	return order
}

func countTrue(b []bool) int {
	n := 0
	for _, v := range b {
		if v {
			n++
		}
	}
	return n
}

// cnnWorker computes the summed gradient of a slice of a batch.
type cnnWorker struct {
	sc           *charnet.CNNScratch
	aug          augmenter
	gW, gB       [][]float32 // conv layers, then dense layers
	dConv, dPool [][]float32 // gradients of ConvOut and Pooled
	dDense       [][]float32 // gradients of DenseIn
	dLogits      []float32
	probs        []float32
	loss         float64
	correct      int
}

func newCNNWorker(c *charnet.CNN) *cnnWorker {
	w := &cnnWorker{sc: c.NewScratch(), dLogits: make([]float32, charnet.NumClasses), probs: make([]float32, charnet.NumClasses)}
	for l, cv := range c.Convs {
		w.gW, w.gB = append(w.gW, make([]float32, len(cv.W))), append(w.gB, make([]float32, len(cv.B)))
		w.dConv = append(w.dConv, make([]float32, len(w.sc.ConvOut[l])))
		if cv.Pool {
			w.dPool = append(w.dPool, make([]float32, len(w.sc.Pooled[l])))
		} else {
			w.dPool = append(w.dPool, w.dConv[l])
		}
	}
	for i, l := range c.Dense {
		w.gW, w.gB = append(w.gW, make([]float32, len(l.W))), append(w.gB, make([]float32, len(l.B)))
		w.dDense = append(w.dDense, make([]float32, len(w.sc.DenseIn[i])))
	}
	return w
}

// params lists c's parameters in the order of grads: weights, then biases.
func (w *cnnWorker) params(c *charnet.CNN) [][]float32 {
	var ps, bs [][]float32
	for _, cv := range c.Convs {
		ps, bs = append(ps, cv.W), append(bs, cv.B)
	}
	for _, l := range c.Dense {
		ps, bs = append(ps, l.W), append(bs, l.B)
	}
	return append(ps, bs...)
}

func (w *cnnWorker) grads() [][]float32 { return append(append([][]float32(nil), w.gW...), w.gB...) }

func (w *cnnWorker) addGrads(o *cnnWorker) {
	og := o.grads()
	for i, g := range w.grads() {
		for j, v := range og[i] {
			g[j] += v
		}
	}
}

func (w *cnnWorker) run(c *charnet.CNN, train []Sample, labels []int, part []int, seed uint64, ep int) {
	for _, g := range w.grads() {
		clear(g)
	}
	w.loss, w.correct = 0, 0
	for _, idx := range part {
		rng := rand.New(rand.NewPCG(seed^0x5eed, uint64(ep)<<32|uint64(idx)))
		strokes := w.aug.distort(rng, train[idx].Strokes)
		if !c.Forward(w.sc, strokes) {
			continue
		}
		w.backward(c, labels[idx])
	}
}

// backward adds the gradient of the dual loss of the last forward pass.
func (w *cnnWorker) backward(c *charnet.CNN, label int) {
	w.loss += dualLossGrad(w.sc.Logits, label, w.probs, w.dLogits)
	best := 0
	for i, v := range w.sc.Logits {
		if v > w.sc.Logits[best] {
			best = i
		}
	}
	if best == label {
		w.correct++
	}
	nc := len(c.Convs)
	delta := w.dLogits
	for li := len(c.Dense) - 1; li >= 0; li-- {
		l := &c.Dense[li]
		in := w.sc.DenseIn[li]
		gW, gB := w.gW[nc+li], w.gB[nc+li]
		prev := w.dDense[li]
		clear(prev)
		for o, d := range delta[:l.Out] {
			if d == 0 {
				continue
			}
			gB[o] += d
			row := gW[o*l.In : (o+1)*l.In]
			wr := l.W[o*l.In : (o+1)*l.In]
			for i, a := range in {
				row[i] += d * a
				prev[i] += d * wr[i]
			}
		}
		for i, a := range in {
			if a <= 0 {
				prev[i] = 0 // ReLU (the globals' gradient is not used)
			}
		}
		delta = prev
	}
	copy(w.dPool[nc-1], delta[:c.FlatSize()])
	for l := nc - 1; l >= 0; l-- {
		cv := &c.Convs[l]
		side := c.SideAt(l)
		dY := w.dConv[l]
		if cv.Pool {
			clear(dY)
			for i, g := range w.dPool[l] {
				dY[w.sc.ArgMax[l][i]] += g
			}
		}
		for i, y := range w.sc.ConvOut[l] {
			if y <= 0 {
				dY[i] = 0
			}
		}
		x := w.sc.Maps
		var dX []float32
		if l > 0 {
			x, dX = w.sc.Pooled[l-1], w.dPool[l-1]
			clear(dX)
		}
		convBackward(cv, side, x, dY, dX, w.gW[l], w.gB[l])
	}
}

// convBackward adds the gradient of cv's weights and biases for the
// output gradient dY, and when dX is not nil writes the input's gradient
// there (only where the input is not zero: a zero input came from a ReLU,
// whose gradient there is zero).
func convBackward(cv *charnet.Conv, side int, x, dY, dX, gW, gB []float32) {
	in, out := cv.In, cv.Out
	for oy := 0; oy < side; oy++ {
		for ox := 0; ox < side; ox++ {
			g := dY[(oy*side+ox)*out:][:out]
			zero := true
			for i, v := range g {
				if v != 0 {
					zero = false
				}
				gB[i] += v
			}
			if zero {
				continue
			}
			for px, tap := range charnet.Taps(side, oy, ox) {
				n := px * in
				for ci, v := range x[n : n+in] {
					if v == 0 {
						continue
					}
					r := (tap*in + ci) * out
					row := gW[r : r+out]
					for i, gv := range g {
						row[i] += v * gv
					}
					if dX != nil {
						dX[n+ci] += charnet.Dot(g, cv.W[r:r+out])
					}
				}
			}
		}
	}
}

// dualLossGrad writes into grad the gradient of the cross-entropy over all
// classes plus the cross-entropy over the label's own group, and returns
// that loss; probs is scratch.
func dualLossGrad(logits []float32, label int, probs, grad []float32) float64 {
	charnet.SoftmaxSubset(logits, probs, 0, charnet.NumClasses, 1)
	copy(grad, probs)
	grad[label]--
	loss := -math.Log(math.Max(float64(probs[label]), 1e-12))
	cs := charnet.Upper
	if label < 10 {
		cs = charnet.Digits
	}
	lo, hi := charnet.CharsetRange(cs)
	charnet.SoftmaxSubset(logits, probs, lo, hi, 1)
	for i := lo; i < hi; i++ {
		grad[i] += probs[i]
	}
	grad[label]--
	return loss - math.Log(math.Max(float64(probs[label]), 1e-12))
}

// adamW holds the moments of AdamW over a list of parameter slices; the
// first half of the list are weights (decayed), the second biases.
type adamW struct {
	params, m, v [][]float32
	wd           float64
	t            int
}

func newAdamW(params [][]float32, wd float64) *adamW {
	a := &adamW{params: params, wd: wd}
	for _, p := range params {
		a.m, a.v = append(a.m, make([]float32, len(p))), append(a.v, make([]float32, len(p)))
	}
	return a
}

func (a *adamW) step(grads [][]float32, lr float64, batch int) {
	a.t++
	stepSize, scale := adamStep(a.t, lr), 1/float32(batch)
	for k, p := range a.params {
		decay := float32(1)
		if k < len(a.params)/2 {
			decay = float32(1 - lr*a.wd)
		}
		adamUpdate(p, grads[k], a.m[k], a.v[k], scale, stepSize, decay)
	}
}
