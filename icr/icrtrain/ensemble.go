package icrtrain

import (
	"errors"
	"fmt"

	"github.com/inkform/inkform/icr/internal/charnet"
)

// TrainCNNEnsemble trains n networks with cfg, seeded cfg.Seed,
// cfg.Seed+1, …, one after the other, and joins them (Ensemble); n = 1
// is TrainCNN. The embedded network is one (docs/recognition.md, round 6,
// says what two cost and bought).
func TrainCNNEnsemble(train []Sample, cfg CNNConfig, n int) (*charnet.CNN, error) {
	if n < 1 || n > charnet.MaxCNNMembers+1 {
		return nil, fmt.Errorf("train cnn: %d networks, want 1 to %d", n, charnet.MaxCNNMembers+1)
	}
	nets := make([]*charnet.CNN, n)
	for i := range nets {
		c := cfg
		c.Seed = cfg.Seed + uint64(i)
		var err error
		if nets[i], err = TrainCNN(train, c); err != nil {
			return nil, err
		}
	}
	return Ensemble(nets)
}

// Ensemble joins trained networks into one: the first, with the others as
// its members, whose logits its forward pass averages. Every calibration
// field is reset as in a new network, so the result depends only on the
// weights; calibrate it with CalibrateCascade.
func Ensemble(nets []*charnet.CNN) (*charnet.CNN, error) {
	if len(nets) == 0 {
		return nil, errors.New("ensemble: no networks")
	}
	var all []*charnet.CNN
	for _, c := range nets {
		// A network that is already an ensemble brings its members along.
		all = append(all, c)
		all = append(all, c.Members...)
	}
	if len(all)-1 > charnet.MaxCNNMembers {
		return nil, fmt.Errorf("ensemble: %d networks, at most %d", len(all), charnet.MaxCNNMembers+1)
	}
	for _, c := range all {
		c.Members = nil
		c.ResetCalibration()
	}
	head := all[0]
	head.Members = all[1:]
	if len(head.Members) == 0 {
		head.Members = nil
	}
	return head, nil
}
