package icr

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/icr/internal/charnet"
)

// MaxCandidates is how many ranked readings Classify returns per character.
const MaxCandidates = 5

// Engine is the built-in recogniser. It is safe for concurrent use.
type Engine struct {
	model *Model
	pool  sync.Pool // *scorer
}

var _ inkform.Recognizer = (*Engine)(nil)

// modelFile is the model written by cmd/icrtrain with its default flags.
//
//go:embed model.bin
var modelFile []byte

// embeddedModel decodes modelFile once; every Engine made by New shares the
// result, which is never modified after decoding.
var embeddedModel = sync.OnceValues(func() (*Model, error) {
	return DecodeModel(modelFile)
})

// New returns an engine with the model embedded in the binary.
func New() (*Engine, error) {
	m, err := embeddedModel()
	if err != nil {
		return nil, fmt.Errorf("icr: %w", err)
	}
	return NewWithModel(m), nil
}

// NewWithModel returns an engine for m, e.g. a freshly trained one.
func NewWithModel(m *Model) *Engine {
	e := &Engine{model: m}
	e.pool.New = func() any { return m.NewScorer() }
	return e
}

// Classify reads strokes as one character of cs and returns up to
// MaxCandidates readings, most probable first, with calibrated
// probabilities that sum to 1 over the whole set. It returns nil for ink
// without points.
func (e *Engine) Classify(strokes []inkform.Stroke, cs inkform.Charset) []inkform.Candidate {
	s := e.pool.Get().(*charnet.Scorer)
	defer e.pool.Put(s)
	id := charnet.CharsetOf(cs)
	if !e.model.EnsembleProbs(s, strokes, id) {
		return nil
	}
	lo, hi := charnet.CharsetRange(id)
	out := make([]inkform.Candidate, 0, MaxCandidates)
	// Partial selection sort: five passes over at most 36 values beat
	// sorting them.
	for len(out) < MaxCandidates && len(out) < hi-lo {
		best := -1
		for i := lo; i < hi; i++ {
			if s.Probs[i] >= 0 && (best < 0 || s.Probs[i] > s.Probs[best]) {
				best = i
			}
		}
		out = append(out, inkform.Candidate{Char: rune(charnet.Classes[best]), P: float64(s.Probs[best])})
		s.Probs[best] = -1
	}
	return out
}

// Recognize implements inkform.Recognizer. With req.Cells > 0 each
// non-empty comb cell is one character and empty cells are skipped (no
// character, no space); otherwise the strokes are segmented into
// characters first (Segment). The field's confidence is the product of its
// characters' top probabilities: the chance, under calibrated and
// independent errors, that every character is right. Ink that yields no
// character gives empty text with confidence 0.
func (e *Engine) Recognize(ctx context.Context, req inkform.RecognizeRequest) (inkform.Recognition, error) {
	if err := ctx.Err(); err != nil {
		return inkform.Recognition{}, fmt.Errorf("icr recognize: %w", err)
	}
	var chars [][]inkform.Candidate
	if req.Cells > 0 {
		for _, cell := range req.CellStrokes {
			chars = append(chars, e.Classify(cell, req.Charset))
		}
	} else {
		for _, g := range Segment(req.Strokes) {
			chars = append(chars, e.Classify(g, req.Charset))
		}
	}
	var rec inkform.Recognition
	var text strings.Builder
	conf := 1.0
	for _, cands := range chars {
		if len(cands) == 0 {
			continue // an empty comb cell
		}
		text.WriteRune(cands[0].Char)
		conf *= cands[0].P
		rec.Chars = append(rec.Chars, inkform.CharCandidates{Candidates: cands})
	}
	if len(rec.Chars) == 0 {
		return inkform.Recognition{}, nil
	}
	rec.Text = text.String()
	rec.Confidence = conf
	return rec, nil
}
