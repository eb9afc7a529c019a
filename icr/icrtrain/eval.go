package icrtrain

import (
	"fmt"
	"iter"
	"slices"
	"sort"
	"strings"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/icr"
	"github.com/inkform/inkform/icr/internal/charnet"
)

// TestSources returns the UNIPEN source folders held out for evaluation: a
// recipe is trained without them, chosen on the validation sources and
// then read on them once. They were fixed before the first experiment
// (four laboratories with both digits and letters, of different sizes and
// tablets) and must not be changed to flatter the figures. Once a recipe
// is fixed, the shipped models learn from them too (ShippedTraining).
func TestSources() []string { return []string{"aga", "ced", "imp", "pri"} }

// ValidationSources returns the UNIPEN source folders that choose models,
// thresholds and the cascade and that calibrate the temperatures: no
// writer of theirs is trained on, and, unlike the test sources, they are
// read as often as the choices need. They were picked before the
// convolutional network's first run: the development sources with both
// digits and letters from more than one writer, after the test sources,
// leaving most of the data for training.
func ValidationSources() []string { return []string{"app", "art"} }

// SplitSamples divides the corpus by source folder (institution), never by
// sample or writer: the TestSources are the test set, the
// ValidationSources the validation set (which also calibrates), and the
// other sources train.
func SplitSamples(all []Sample) (train, val, test []Sample) {
	testSrc, valSrc := TestSources(), ValidationSources()
	for _, s := range all {
		switch {
		case slices.Contains(testSrc, s.Source):
			test = append(test, s)
		case slices.Contains(valSrc, s.Source):
			val = append(val, s)
		default:
			train = append(train, s)
		}
	}
	return train, val, test
}

// SourcesOf returns the sources of samples, sorted, each once; a trained
// network records them in its settings.
func SourcesOf(samples []Sample) []string {
	var src []string
	for _, s := range samples {
		if !slices.Contains(src, s.Source) {
			src = append(src, s.Source)
		}
	}
	slices.Sort(src)
	return src
}

// SettingsSources returns the sources a network's settings line says it
// was trained on (TrainCNN records them), or nil for a network that does
// not say.
func SettingsSources(settings string) []string {
	_, list, ok := strings.Cut(settings, " sources=")
	if !ok || list == "" {
		return nil
	}
	list, _, _ = strings.Cut(list, " ")
	return strings.Split(list, ",")
}

// ShippedTraining is what the shipped models are trained on once the
// recipe has been chosen on the validation sources and read once on the
// test sources: the training sources and the test sources, in that order.
// More institutions are what carries a model to writers it never saw; the
// validation sources stay out, since they calibrate the models.
func ShippedTraining(train, test []Sample) []Sample {
	return append(slices.Clip(train), test...)
}

// EvalResult is the accuracy of a model on labelled samples for one
// character set.
type EvalResult struct {
	Charset inkform.Charset
	N       int // characters of the set
	Top1    int // right at rank 1
	Top3    int // right within the first three
	// Accepted counts characters whose top probability reached the
	// threshold; AcceptedWrong those of them that were wrong.
	Accepted, AcceptedWrong int
	// CNN counts characters the cascade sent to the convolutional network.
	CNN        int
	Confusions []Confusion // most frequent first
}

// Confusion is how often the truth was read as another character.
type Confusion struct {
	Truth, Read rune
	N           int
}

// inCharset yields the samples whose label belongs to cs, in order, with
// their index in samples.
func inCharset(samples []Sample, cs inkform.Charset) iter.Seq2[int, Sample] {
	lo, hi := charnet.CharsetRange(charnet.CharsetOf(cs))
	return func(yield func(int, Sample) bool) {
		for i, s := range samples {
			if c := charnet.ClassIndex(s.Label); c >= lo && c < hi && !yield(i, s) {
				return
			}
		}
	}
}

// Evaluate classifies every sample whose label belongs to cs.
func Evaluate(e *icr.Engine, samples []Sample, cs inkform.Charset, threshold float64) EvalResult {
	r := EvalResult{Charset: cs}
	conf := map[[2]rune]int{}
	for _, s := range inCharset(samples, cs) {
		r.N++
		cands, usedCNN := e.ClassifyCascade(s.Strokes, cs)
		if usedCNN {
			r.CNN++
		}
		if len(cands) == 0 {
			continue
		}
		for i, c := range cands[:min(3, len(cands))] {
			if c.Char == s.Label {
				r.Top3++
				if i == 0 {
					r.Top1++
				}
			}
		}
		if cands[0].Char != s.Label {
			conf[[2]rune{s.Label, cands[0].Char}]++
		}
		if cands[0].P >= threshold {
			r.Accepted++
			if cands[0].Char != s.Label {
				r.AcceptedWrong++
			}
		}
	}
	for k, n := range conf {
		r.Confusions = append(r.Confusions, Confusion{k[0], k[1], n})
	}
	sort.Slice(r.Confusions, func(i, j int) bool {
		a, b := r.Confusions[i], r.Confusions[j]
		if a.N != b.N {
			return a.N > b.N
		}
		return a.Truth < b.Truth || a.Truth == b.Truth && a.Read < b.Read
	})
	return r
}

// String formats the result as one Markdown table row: charset, n, top-1,
// top-3, share accepted at the threshold, wrong among accepted, share sent
// to the CNN, and the five worst confusions.
func (r EvalResult) String() string {
	pct := func(a, b int) string {
		if b == 0 {
			return "–"
		}
		return fmt.Sprintf("%.2f%%", 100*float64(a)/float64(b))
	}
	var worst []string
	for _, c := range r.Confusions[:min(5, len(r.Confusions))] {
		worst = append(worst, fmt.Sprintf("%c→%c %d", c.Truth, c.Read, c.N))
	}
	return fmt.Sprintf("| %s | %d | %s | %s | %s | %s (%d) | %s | %v |", r.Charset, r.N, pct(r.Top1, r.N), pct(r.Top3, r.N),
		pct(r.Accepted, r.N), pct(r.AcceptedWrong, r.Accepted), r.AcceptedWrong, pct(r.CNN, r.N), worst)
}
