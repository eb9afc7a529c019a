package interpret

import (
	"fmt"
	"strings"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/ink"
)

// reversalStep (mm) thins strokes before turns are counted (ink.Reversals):
// coarser than pen jitter, finer than the passes of a scribble.
const reversalStep = 0.5

// mark is the reading of one checkbox or option box.
type mark struct {
	ticked     bool
	confidence float64
	cancelled  bool // scribbled out: not ticked, and a person should look
}

// readMark decides whether the strokes assigned to a box make a mark.
//
// The rule, in order:
//  1. No ink: not ticked, confidence 1.
//  2. The ink inside the box grown by the edge tolerance is a mark when its
//     length reaches MinMarkLength or it covers MinMarkCoverage of the box;
//     a tick, a cross, a circle or a filled box all do, a stray dot or a
//     brush of the pen does not. The confidence is marginConfidence of the
//     stronger of the two ratios to its threshold.
//  3. A mark drawn with at least CancelReversals back-and-forth turns that
//     covers at least CancelCoverage of the box is a box scribbled out to
//     withdraw a tick: not ticked, confidence UndecidedConfidence. Below the
//     coverage it is a filled box (ticked), with the confidence capped by
//     how close the coverage came to the cancel rule.
//  4. A box covered beyond CancelCoverage with fewer turns (a filled bubble)
//     is ticked, with the confidence capped by how close the turns came.
//
// Turns are counted on the whole strokes, since a scribble turns back past
// the box's edges; length only inside the grown box, and coverage of the
// box itself.
func (o *Options) readMark(strokes []inkform.Stroke, box inkform.Box) mark {
	if len(strokes) == 0 {
		return mark{confidence: 1}
	}
	length := lengthInside(strokes, ink.Expand(box, o.EdgeTolerance))
	coverage := ink.Coverage(strokes, box, o.InkWidth)
	evidence := max(length/o.MinMarkLength, coverage/o.MinMarkCoverage)
	m := mark{ticked: evidence >= 1, confidence: marginConfidence(evidence, 1)}
	if !m.ticked {
		return m
	}
	reversals := ink.Reversals(strokes, reversalStep)
	switch {
	case reversals >= o.CancelReversals && coverage >= o.CancelCoverage:
		return mark{confidence: o.UndecidedConfidence, cancelled: true}
	case reversals >= o.CancelReversals:
		m.confidence = min(m.confidence, marginConfidence(coverage, o.CancelCoverage))
	case coverage >= o.CancelCoverage:
		m.confidence = min(m.confidence, marginConfidence(float64(reversals), float64(o.CancelReversals)))
	}
	return m
}

// readChoice reads the option boxes of a choice field. A single choice with
// more than one ticked box has no value and the problem "more than one
// option ticked"; a multiple choice lists the ticked options in the order of
// the template. The confidence is the lowest of the boxes', because one
// doubtful box makes the whole answer doubtful.
func (o *Options) readChoice(f *inkform.Field, a *ink.Assignment, targetsOf []int) (inkform.FieldValue, fieldCheck) {
	fv := inkform.FieldValue{Confidence: 1, Source: inkform.SourcePen}
	var c fieldCheck
	var ticked []string
	for _, t := range targetsOf {
		tg := &a.Targets[t]
		if tg.Option < 0 {
			continue // ink beside the options ticks nothing
		}
		m := o.readMark(a.ByTarget[t], tg.Box)
		fv.Confidence = min(fv.Confidence, m.confidence)
		if m.ticked {
			ticked = append(ticked, f.Options[tg.Option].Value)
		}
		if m.cancelled {
			c.note = fmt.Sprintf("option %s scribbled out", f.Options[tg.Option].Value)
		}
	}
	switch {
	case len(ticked) == 0:
	case f.Multiple:
		fv.Value = ticked
	case len(ticked) == 1:
		fv.Value = ticked[0]
	default:
		fv.Confidence = min(fv.Confidence, o.UndecidedConfidence)
		c.problems = []string{fmt.Sprintf("more than one option ticked (%s)", strings.Join(ticked, ", "))}
	}
	return fv, c
}

// readSignature decides whether a signature is present: enough ink
// (MinSignatureLength) spread over enough of the box's width
// (MinSignatureExtent). Both must hold, so the confidence follows the weaker
// of the two ratios.
func (o *Options) readSignature(strokes []inkform.Stroke, box inkform.Box) inkform.FieldValue {
	fv := inkform.FieldValue{Value: false, Confidence: 1, Source: inkform.SourcePen}
	if len(strokes) == 0 {
		return fv
	}
	inside := ink.ClipAll(strokes, ink.Expand(box, o.EdgeTolerance))
	width := 0.0
	if b, ok := ink.Bounds(inside); ok {
		width = b.W / box.W
	}
	evidence := min(ink.TotalLength(inside)/o.MinSignatureLength, width/o.MinSignatureExtent)
	fv.Value = evidence >= 1
	fv.Confidence = marginConfidence(evidence, 1)
	return fv
}

// readDrawing decides whether a drawing area holds real ink: at least
// MinDrawingLength of it, so that a stray dot leaves it empty.
func (o *Options) readDrawing(strokes []inkform.Stroke, box inkform.Box) inkform.FieldValue {
	fv := inkform.FieldValue{Value: false, Confidence: 1, Source: inkform.SourcePen}
	if len(strokes) == 0 {
		return fv
	}
	evidence := lengthInside(strokes, ink.Expand(box, o.EdgeTolerance)) / o.MinDrawingLength
	fv.Value = evidence >= 1
	fv.Confidence = marginConfidence(evidence, 1)
	return fv
}

// lengthInside is the length of the strokes' ink inside the box.
func lengthInside(strokes []inkform.Stroke, box inkform.Box) float64 {
	var n float64
	for i := range strokes {
		n += ink.LengthInside(&strokes[i], box)
	}
	return n
}
