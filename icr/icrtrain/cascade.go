package icrtrain

import (
	"fmt"
	"io"
	"math"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/icr/internal/charnet"
)

// CascadeGates and CascadeWeights are the gates and CNN shares that
// CalibrateCascade compares on the validation sources, each set on its
// own; a gate above 1 runs the CNN on every character. Gates are listed
// cheapest first.
var (
	CascadeGates   = []float32{0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 2}
	CascadeWeights = []float32{0.5, 0.65, 0.8, 1}
)

// Cascade calibration rule, per character set (docs/recognition.md):
// among the gates and weights that accept at least CascadeAcceptTarget of
// the set's validation characters at the pipeline's threshold, the one
// with the fewest wrong among those accepted; when none does, the
// cheapest gate whose top-1 error is within cascadeTolerance points of
// the best, with its best weight. Ties go to the better top-1, then to
// the cheaper gate, then to the smaller weight.
const (
	// CascadeAcceptTarget is the share of characters the pipeline should
	// accept at its threshold (issue 14: at least 92%).
	CascadeAcceptTarget = 0.92
	cascadeTolerance    = 0.1
)

// charsetNames are the domain's names of the model's character sets.
var charsetNames = [charnet.NumCharsets]inkform.Charset{inkform.CharsetDigits, inkform.CharsetUpper, inkform.CharsetAlnum}

// cascadeItem is one validation character read in one character set: the
// MLP ensemble's calibrated probabilities and the CNN's logits.
type cascadeItem struct {
	mlp, cnnLogits []float32
	label          int
}

// cascadeChoice is one gate and weight compared for one character set,
// with its fitted mix temperature and its validation score.
type cascadeChoice struct {
	gate, weight, temp float32
	score              cascadeScore
}

// CalibrateCascade calibrates c for use behind m, on the validation
// sources val only: it fits the CNN's temperatures, then, per character
// set, for every gate and mixing weight the mix's temperature, and keeps
// the gate, weight and temperature the rule above picks. It writes the
// comparison table and the choice to w (nil: none). Every calibration
// field of c is overwritten, so the result depends only on the weights of
// m and c and on val.
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
		for cs := range charnet.NumCharsets {
			if lo, hi := charnet.CharsetRange(cs); lab < lo || lab >= hi || !m.EnsembleProbs(s, smp.Strokes, cs) {
				continue
			}
			items[cs] = append(items[cs], cascadeItem{append([]float32(nil), s.Probs...), cl, lab})
		}
	}
	for cs := range charnet.NumCharsets {
		c.Temp[cs] = fitTemperature(logits, cs)
	}
	if w != nil {
		fmt.Fprintf(w, "cascade on the validation sources, threshold %.2f\n| charset | gate | CNN weight | mix temperature | top-1 | to the CNN | accepted | wrong among accepted |\n|---|---|---|---|---|---|---|---|\n",
			inkform.DefaultConfidenceThreshold)
	}
	for cs := range charnet.NumCharsets {
		var all []cascadeChoice
		for _, g := range CascadeGates {
			for _, wt := range CascadeWeights {
				ch := cascadeChoice{gate: g, weight: wt}
				ch.temp = fitMixTemp(c, items[cs], cs, g, wt)
				ch.score = scoreCascade(c, items[cs], cs, g, wt, ch.temp)
				all = append(all, ch)
				if w != nil {
					fmt.Fprintf(w, "| %s | %.3g | %.2f | %.3g | %s |\n", charsetNames[cs], g, wt, ch.temp, ch.score)
				}
			}
		}
		pick := pickCascade(all)
		c.Gate[cs], c.MixWeight[cs], c.MixTemp[cs] = pick.gate, pick.weight, pick.temp
		if w != nil {
			fmt.Fprintf(w, "chosen for %s: gate %.3g, CNN weight %.2f, mix temperature %.3g, CNN temperature %.3g (%s)\n",
				charsetNames[cs], pick.gate, pick.weight, pick.temp, c.Temp[cs], pick.score)
		}
	}
}

// pickCascade applies the calibration rule to one character set's
// choices, listed by gate, cheapest first, then by weight.
func pickCascade(all []cascadeChoice) cascadeChoice {
	var pick *cascadeChoice
	for i := range all {
		ch := &all[i]
		if ch.score.acceptRate() < CascadeAcceptTarget {
			continue
		}
		if pick == nil || ch.score.wrongRate() < pick.score.wrongRate() ||
			(ch.score.wrongRate() == pick.score.wrongRate() && ch.score.right > pick.score.right) {
			pick = ch
		}
	}
	if pick != nil {
		return *pick
	}
	best := 0
	for _, ch := range all {
		best = max(best, ch.score.right)
	}
	for i := range all {
		ch := &all[i]
		if 100*float64(best-ch.score.right)/float64(max(ch.score.n, 1)) > cascadeTolerance {
			continue
		}
		if pick == nil || (ch.gate == pick.gate && ch.score.right > pick.score.right) {
			pick = ch
		}
	}
	return *pick
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

// String is a row's last four cells: top-1, share to the CNN, accepted,
// wrong among accepted (and their count).
func (r cascadeScore) String() string {
	n := float64(max(r.n, 1))
	return fmt.Sprintf("%.2f%% | %.1f%% | %.2f%% | %.2f%% (%d)", 100*float64(r.right)/n, 100*float64(r.cnn)/n,
		100*r.acceptRate(), 100*r.wrongRate(), r.acceptedWrong)
}

func (r cascadeScore) acceptRate() float64 { return float64(r.accepted) / float64(max(r.n, 1)) }
func (r cascadeScore) wrongRate() float64 {
	return float64(r.acceptedWrong) / float64(max(r.accepted, 1))
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
