package icrtrain

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"

	"github.com/inkform/inkform/icr/internal/charnet"
)

// TrainConfig sets up Train. The same config and samples give the same
// model byte for byte: all randomness comes from Seed, and training runs on
// one goroutine.
type TrainConfig struct {
	Seed uint64
	// Nets is the ensemble: one network per entry.
	Nets   []NetSpec
	Epochs int
	Batch  int
	LR     float64
	// Augment distorts each training character anew every epoch (rotation,
	// slant, stretch, jitter), which matters more than model size for
	// writers the model has not seen.
	Augment bool
	// Log, when set, receives one line per epoch.
	Log io.Writer
}

// NetSpec is one network of the ensemble: the feature view it reads
// ("traj", "dir" or "all") and its hidden layer widths.
type NetSpec struct {
	View   string
	Hidden []int
}

// DefaultTrainConfig is the configuration of the committed model.
func DefaultTrainConfig() TrainConfig {
	return TrainConfig{
		Seed:   1,
		Nets:   []NetSpec{{View: "traj", Hidden: []int{128}}, {View: "dir", Hidden: []int{128}}},
		Epochs: 16, Batch: 32, LR: 2e-3, Augment: true,
	}
}

// Train fits a model on train and calibrates its temperatures on calib,
// which must hold writers that train does not.
func Train(train, calib []Sample, cfg TrainConfig) (*charnet.Model, error) {
	if len(train) == 0 || len(calib) == 0 {
		return nil, errors.New("train: no samples")
	}
	if len(cfg.Nets) < 1 || len(cfg.Nets) > charnet.MaxNets || cfg.Epochs < 1 || cfg.Batch < 1 {
		return nil, fmt.Errorf("train: bad config %+v", cfg)
	}
	for _, ns := range cfg.Nets {
		if _, _, ok := charnet.ViewRange(ns.View); !ok || len(ns.Hidden) > charnet.MaxLayers-1 {
			return nil, fmt.Errorf("train: bad network %+v", ns)
		}
	}
	m := &charnet.Model{}
	var sc charnet.FeatureScratch
	feats := make([][]float32, len(train))
	labels := make([]int, len(train))
	for i, s := range train {
		feats[i] = make([]float32, charnet.NumFeatures)
		if !sc.Features(s.Strokes, feats[i]) {
			return nil, fmt.Errorf("train: sample %d has no ink", i)
		}
		labels[i] = charnet.ClassIndex(s.Label)
	}
	m.Mean, m.InvStd = standardisation(feats)
	for k, ns := range cfg.Nets {
		n, err := trainNet(train, labels, m, cfg, ns, uint64(k))
		n.Temp = [charnet.NumCharsets]float32{1, 1, 1}
		if err != nil {
			return nil, fmt.Errorf("train net %d: %w", k, err)
		}
		m.Nets = append(m.Nets, n)
	}
	calibrate(m, calib)
	return m, nil
}

// standardisation returns per-feature means and inverse standard
// deviations; constant features get 1 so they stay at zero.
func standardisation(feats [][]float32) (mean, inv []float32) {
	mean = make([]float32, charnet.NumFeatures)
	inv = make([]float32, charnet.NumFeatures)
	for j := 0; j < charnet.NumFeatures; j++ {
		var s, s2 float64
		for _, f := range feats {
			s += float64(f[j])
			s2 += float64(f[j]) * float64(f[j])
		}
		mu := s / float64(len(feats))
		sd := math.Sqrt(math.Max(0, s2/float64(len(feats))-mu*mu))
		mean[j] = float32(mu)
		inv[j] = 1
		if sd > 1e-6 {
			inv[j] = float32(1 / sd)
		}
	}
	return mean, inv
}

// trainNet fits one member of the ensemble with Adam on a dual loss: the
// cross-entropy over all 36 classes plus the cross-entropy over the
// sample's own group (digits or letters), because the engine restricts the
// softmax to the field's character set and both readings must be good.
func trainNet(train []Sample, labels []int, m *charnet.Model, cfg TrainConfig, ns NetSpec, k uint64) (charnet.Net, error) {
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x1c4+k))
	from, to, _ := charnet.ViewRange(ns.View)
	n := charnet.NewNet(rng, from, to, ns.Hidden)
	t := newTrainer(&n)
	var sc charnet.FeatureScratch
	var aug augmenter
	x := make([]float32, charnet.NumFeatures)
	order := identity(len(train))
	steps := cfg.Epochs * ((len(train) + cfg.Batch - 1) / cfg.Batch)
	step := 0
	for ep := 0; ep < cfg.Epochs; ep++ {
		start := time.Now()
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		var loss float64
		correct := 0
		for b := 0; b < len(order); b += cfg.Batch {
			t.zeroGrad()
			end := min(b+cfg.Batch, len(order))
			for _, idx := range order[b:end] {
				strokes := train[idx].Strokes
				if cfg.Augment {
					strokes = aug.distort(rng, strokes)
				}
				if !sc.Features(strokes, x) {
					continue
				}
				m.Standardise(x)
				l, ok := t.accumulate(x, labels[idx])
				loss += l
				if ok {
					correct++
				}
			}
			// Cosine decay to zero: no schedule to tune, and the last
			// epochs settle the weights.
			lr := cfg.LR * 0.5 * (1 + math.Cos(math.Pi*float64(step)/float64(steps)))
			step++
			t.adam(lr, end-b)
		}
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, "net %d epoch %d: loss %.4f train acc %.4f (%.1fs)\n", k, ep+1,
				loss/float64(len(order)), float64(correct)/float64(len(order)), time.Since(start).Seconds())
		}
	}
	for _, l := range n.Layers {
		for _, w := range l.W {
			if math.IsNaN(float64(w)) || math.IsInf(float64(w), 0) {
				return charnet.Net{}, errors.New("weights diverged")
			}
		}
	}
	return n, nil
}
