package icrtrain

import (
	"fmt"
	"io"
	"math"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/icr/internal/charnet"
)

// CascadeGates and CascadeWeights are the gates and CNN shares that
// CalibrateCascade compares on the validation sources; a gate above 1
// runs the CNN on every character.
var (
	CascadeGates   = []float32{0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 2}
	CascadeWeights = []float32{0.5, 0.65, 0.8, 1}
)

// cascadeTolerance is how much worse (in points of mean top-1 error over
// digits and letters) the chosen gate may be than the best one: the
// smallest gate within it wins, for speed.
const cascadeTolerance = 0.1

// cascadeItem is one validation character read in one character set: the
// MLP ensemble's calibrated probabilities and the CNN's logits.
type cascadeItem struct {
	mlp, cnnLogits []float32
	label          int
}

// CalibrateCascade fits the CNN's temperatures on val, then for every gate
// and mixing weight the temperatures of the mix, and keeps the cheapest
// gate whose mean top-1 error over digits and letters is within
// cascadeTolerance of the best, with its best weight. It writes the
// comparison table to w (nil: none).
func CalibrateCascade(m *charnet.Model, c *charnet.CNN, val []Sample, w io.Writer) {
	s, sc := m.NewScorer(), c.NewScratch()
	var items [charnet.NumCharsets][]cascadeItem
	var logits []calibItem
	for _, smp := range val {
		lab := charnet.ClassIndex(smp.Label)
		if !c.Forward(sc, smp.Strokes) {
			continue
		}
		cl := append([]float32(nil), sc.Logits...)
		logits = append(logits, calibItem{cl, lab})
		for cs := charnet.Digits; cs < charnet.NumCharsets; cs++ {
			if lo, hi := charnet.CharsetRange(cs); lab < lo || lab >= hi || !m.EnsembleProbs(s, smp.Strokes, cs) {
				continue
			}
			items[cs] = append(items[cs], cascadeItem{append([]float32(nil), s.Probs...), cl, lab})
		}
	}
	for cs := charnet.Digits; cs < charnet.NumCharsets; cs++ {
		c.Temp[cs] = fitTemperature(logits, cs)
	}
	if w != nil {
		fmt.Fprintf(w, "cascade on the validation sources: gate, CNN weight, digits / upper: top-1, share to the CNN, accepted at 0.9, wrong among accepted\n")
	}
	type choice struct {
		gate, weight float32
		temp         [charnet.NumCharsets]float32
		err          float64
	}
	var all []choice
	best := math.Inf(1)
	for _, g := range CascadeGates {
		for _, wt := range CascadeWeights {
			ch := choice{gate: g, weight: wt}
			var line string
			for cs := charnet.Digits; cs < charnet.NumCharsets; cs++ {
				ch.temp[cs] = fitMixTemp(c, items[cs], cs, g, wt)
				r := scoreCascade(c, items[cs], cs, g, wt, ch.temp[cs])
				if cs != charnet.Alnum {
					ch.err += 50 * (1 - float64(r.right)/float64(r.n))
					line += " | " + r.String()
				}
			}
			if w != nil {
				fmt.Fprintf(w, "| %.3g | %.2f%s |\n", g, wt, line)
			}
			all = append(all, ch)
			best = min(best, ch.err)
		}
	}
	for _, g := range CascadeGates {
		var pick *choice
		for i := range all {
			if ch := &all[i]; ch.gate == g && ch.err <= best+cascadeTolerance && (pick == nil || ch.err < pick.err) {
				pick = ch
			}
		}
		if pick != nil {
			c.Gate, c.MixWeight, c.MixTemp = pick.gate, pick.weight, pick.temp
			if w != nil {
				fmt.Fprintf(w, "chosen: gate %.3g, CNN weight %.2f, mix temperatures %v, CNN temperatures %v\n", c.Gate, c.MixWeight, c.MixTemp, c.Temp)
			}
			return
		}
	}
}

// mixInto writes the cascade's probabilities for it into p (the MLP's
// when the gate does not open) and reports whether the CNN was used.
func mixInto(c *charnet.CNN, it cascadeItem, cs charnet.CharsetID, gate, w, temp float32, p, cnnP, scratch []float32) bool {
	lo, hi := charnet.CharsetRange(cs)
	copy(p, it.mlp)
	top := float32(0)
	for _, v := range it.mlp[lo:hi] {
		top = max(top, v)
	}
	if top >= gate {
		return false
	}
	charnet.SoftmaxSubset(it.cnnLogits, cnnP, lo, hi, c.Temp[cs])
	charnet.Mix(p, cnnP, scratch, lo, hi, w, temp)
	return true
}

// fitMixTemp fits the temperature of the mix on the characters the gate
// sends to the CNN (1 when none).
func fitMixTemp(c *charnet.CNN, items []cascadeItem, cs charnet.CharsetID, gate, w float32) float32 {
	var mixed []calibItem
	p, cnnP, scratch := make([]float32, charnet.NumClasses), make([]float32, charnet.NumClasses), make([]float32, charnet.NumClasses)
	lo, hi := charnet.CharsetRange(cs)
	for _, it := range items {
		if !mixInto(c, it, cs, gate, w, 1, p, cnnP, scratch) {
			continue
		}
		logp := make([]float32, charnet.NumClasses)
		for j := lo; j < hi; j++ {
			logp[j] = float32(math.Log(math.Max(float64(p[j]), 1e-30)))
		}
		mixed = append(mixed, calibItem{logp, it.label})
	}
	if len(mixed) == 0 {
		return 1
	}
	return fitTemperature(mixed, cs)
}

// cascadeScore counts a cascade's readings of validation characters.
type cascadeScore struct {
	n, right, cnn, accepted, acceptedWrong int
}

func (r cascadeScore) String() string {
	return fmt.Sprintf("%.2f%% %.1f%% %.2f%% %.2f%%", 100*float64(r.right)/float64(r.n), 100*float64(r.cnn)/float64(r.n),
		100*float64(r.accepted)/float64(r.n), 100*float64(r.acceptedWrong)/float64(max(r.accepted, 1)))
}

func scoreCascade(c *charnet.CNN, items []cascadeItem, cs charnet.CharsetID, gate, w, temp float32) cascadeScore {
	p, cnnP, scratch := make([]float32, charnet.NumClasses), make([]float32, charnet.NumClasses), make([]float32, charnet.NumClasses)
	lo, hi := charnet.CharsetRange(cs)
	var r cascadeScore
	for _, it := range items {
		r.n++
		if mixInto(c, it, cs, gate, w, temp, p, cnnP, scratch) {
			r.cnn++
		}
		best := lo
		for j := lo; j < hi; j++ {
			if p[j] > p[best] {
				best = j
			}
		}
		ok := best == it.label
		if ok {
			r.right++
		}
		if float64(p[best]) >= inkform.DefaultConfidenceThreshold {
			r.accepted++
			if !ok {
				r.acceptedWrong++
			}
		}
	}
	return r
}
