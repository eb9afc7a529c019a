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
	model   *Model
	cnn     *CNN      // nil: the MLP ensemble alone
	pool    sync.Pool // *charnet.Scorer
	cnnPool sync.Pool // *charnet.CNNScratch
}

var _ inkform.Recognizer = (*Engine)(nil)

// modelFile is the model written by cmd/icrtrain with its default flags.
//
//go:embed model.bin
var modelFile []byte

// cnnFile is the convolutional network written by cmd/icrtrain with its
// default flags, calibrated together with model.bin.
//
//go:embed cnn.bin
var cnnFile []byte

// embedded decodes the embedded files once; every Engine made by New
// shares the result, which is never modified after decoding.
var embedded = sync.OnceValues(func() (*Engine, error) {
	m, err := DecodeModel(modelFile)
	if err != nil {
		return nil, err
	}
	c, err := DecodeCNN(cnnFile)
	if err != nil {
		return nil, err
	}
	return NewCascade(m, c), nil
})

// New returns the engine embedded in the binary: the MLP ensemble, and
// the convolutional network for the characters it doubts (NewCascade).
func New() (*Engine, error) {
	e, err := embedded()
	if err != nil {
		return nil, fmt.Errorf("icr: %w", err)
	}
	return NewCascade(e.model, e.cnn), nil
}

// NewWithModel returns an engine for m alone, e.g. a freshly trained one.
func NewWithModel(m *Model) *Engine { return NewCascade(m, nil) }

// NewCascade returns an engine that reads every character with m and,
// where m's top probability is below c's gate, with c too, averaging
// their calibrated probabilities (c's settings say how). A nil c is m
// alone.
func NewCascade(m *Model, c *CNN) *Engine {
	e := &Engine{model: m, cnn: c}
	e.pool.New = func() any { return m.NewScorer() }
	if c != nil {
		e.cnnPool.New = func() any { return c.NewScratch() }
	}
	return e
}

// Classify reads strokes as one character of cs and returns up to
// MaxCandidates readings, most probable first, with calibrated
// probabilities that sum to 1 over the whole set. It returns nil for ink
// without points.
func (e *Engine) Classify(strokes []inkform.Stroke, cs inkform.Charset) []inkform.Candidate {
	out, _ := e.ClassifyCascade(strokes, cs)
	return out
}

// ClassifyCascade is Classify that also reports whether the
// convolutional network was run for the character (the MLP doubted it).
func (e *Engine) ClassifyCascade(strokes []inkform.Stroke, cs inkform.Charset) (_ []inkform.Candidate, usedCNN bool) {
	s := e.pool.Get().(*charnet.Scorer)
	defer e.pool.Put(s)
	id := charnet.CharsetOf(cs)
	var sc *charnet.CNNScratch
	if e.cnn != nil {
		sc = e.cnnPool.Get().(*charnet.CNNScratch)
		defer e.cnnPool.Put(sc)
	}
	usedCNN, ok := charnet.Cascade(e.model, e.cnn, s, sc, strokes, id)
	if !ok {
		return nil, false
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
	return out, usedCNN
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
