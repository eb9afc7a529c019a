package icrtrain

import (
	"os"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/icr/internal/charnet"
)

// agreeScore counts, on one character set's validation characters, what
// the cascade accepts at the pipeline's threshold and how many of those
// are wrong: as it runs (all), keeping only readings where the MLP's and
// the CNN's top classes agree wherever the CNN ran (gated), or wherever
// the cascade accepts (always; this would run the CNN on every accepted
// character).
type agreeScore struct {
	all, gated, always struct{ accepted, wrong int }
}

func scoreAgreement(m *charnet.Model, c *charnet.CNN, val []Sample, cs charnet.CharsetID) agreeScore {
	s, sc := m.NewScorer(), c.NewScratch()
	p, cnnP, scratch := make([]float32, charnet.NumClasses), make([]float32, charnet.NumClasses), make([]float32, charnet.NumClasses)
	lo, hi := charnet.CharsetRange(cs)
	top := func(p []float32) int {
		b := lo
		for j := lo; j < hi; j++ {
			if p[j] > p[b] {
				b = j
			}
		}
		return b
	}
	var r agreeScore
	for _, smp := range val {
		lab := charnet.ClassIndex(smp.Label)
		if lab < lo || lab >= hi || !m.EnsembleProbs(s, smp.Strokes, cs) || !c.Forward(sc, smp.Strokes) {
			continue
		}
		it := cascadeItem{s.Probs, sc.Logits, lab}
		used := mixInto(c, it, cs, c.Gate[cs], c.MixWeight[cs], c.MixTemp[cs], p, cnnP, scratch)
		best := top(p)
		if float64(p[best]) < inkform.DefaultConfidenceThreshold {
			continue
		}
		wrong := 0
		if best != lab {
			wrong = 1
		}
		agree := top(it.mlp) == top(it.cnnLogits)
		r.all.accepted, r.all.wrong = r.all.accepted+1, r.all.wrong+wrong
		if !used || agree {
			r.gated.accepted, r.gated.wrong = r.gated.accepted+1, r.gated.wrong+wrong
		}
		if agree {
			r.always.accepted, r.always.wrong = r.always.accepted+1, r.always.wrong+wrong
		}
	}
	return r
}

// TestCascadeAgreement measures, on the validation sources only, one
// lever against wrong accepted readings (issue 14, round 5): accepting
// only where the MLP ensemble and the CNN agree. The counts are the
// embedded models' (docs/recognition.md, round 7; round 5 measured
// round 4's), exactly.
func TestCascadeAgreement(t *testing.T) {
	_, val, _ := corpus(t)
	m, err := charnet.DecodeModel(readCommitted(t, "../model.bin"))
	if err != nil {
		t.Fatal(err)
	}
	// INKFORM_ICR_CNN names another network to measure (then nothing is
	// compared: the counts are recorded for the embedded one).
	file := os.Getenv("INKFORM_ICR_CNN")
	if file == "" {
		file = "../cnn.bin"
	}
	c, err := charnet.DecodeCNN(readCommitted(t, file))
	if err != nil {
		t.Fatal(err)
	}
	type count = struct{ accepted, wrong int }
	want := [charnet.NumCharsets]agreeScore{
		{count{1197, 5}, count{1195, 5}, count{1194, 5}},
		{count{3741, 30}, count{3729, 28}, count{3717, 23}},
		{count{3677, 59}, count{3677, 59}, count{3657, 53}},
	}
	for cs := range charnet.NumCharsets {
		got := scoreAgreement(m, c, val, cs)
		t.Logf("%s: accepted / wrong: cascade %v, agreeing where the CNN ran %v, agreeing always %v", charsetNames[cs], got.all, got.gated, got.always)
		if file == "../cnn.bin" && got != want[cs] {
			t.Errorf("%s: %+v, documented %+v", charsetNames[cs], got, want[cs])
		}
	}
}
