package interpret

import (
	"math"

	"github.com/inkform/inkform/ink"
)

// Options tune the interpretation. Every zero field takes its default (the
// Default* constants), so the zero Options is the recommended setting; to
// make a rule strict, set a tiny positive value rather than zero.
type Options struct {
	// EdgeTolerance (mm) grows every box before strokes are measured
	// against it, because a hand strays over a printed edge: a tick whose
	// tail leaves the box by 2 mm still belongs to it.
	EdgeTolerance float64
	// MinShare is the smallest share of a stroke's length that must lie in
	// a (grown) box for the stroke to be assigned to it; a stroke below it
	// everywhere is kept as unassigned ink. Both are given to ink.Assign;
	// cutouts assign with its defaults, so a server that changed them here
	// would show cutouts of other ink than it read.
	MinShare float64

	// MinMarkLength (mm) and MinMarkCoverage (share of the box's area,
	// as ink.Coverage measures it) decide whether a checkbox or option box
	// holds a mark: ink shorter than MinMarkLength that also covers less
	// than MinMarkCoverage is a stray dot or an accidental touch, not a
	// tick. Coverage is the second test because a short but heavy blot
	// (a pressed, wiggled nib) is as much a mark as a line.
	MinMarkLength   float64
	MinMarkCoverage float64
	// InkWidth (mm) is the width the ink is taken to have when measuring
	// how much of a box it covers (ink.Coverage): about a ballpoint line
	// plus the wobble of a hand, so that scribbling with lines 1 mm apart
	// reads as filled.
	InkWidth float64
	// CancelCoverage and CancelReversals describe a scribbled-out
	// ("cancelled") box: ink covering at least CancelCoverage of the box,
	// drawn with at least CancelReversals back-and-forth turns. Forms use
	// it to withdraw a tick, so it reads as not ticked, with
	// UndecidedConfidence so that a person confirms.
	CancelCoverage  float64
	CancelReversals int
	// UndecidedConfidence is the confidence given to a value the rules
	// cannot decide: a cancelled box, two ticks in a single choice. It
	// should lie below any sensible form threshold.
	UndecidedConfidence float64

	// MinSignatureLength (mm) and MinSignatureExtent (share of the box's
	// width) say when a signature is present: a signature is long and
	// wide, initials or a stray line are not.
	MinSignatureLength float64
	MinSignatureExtent float64
	// MinDrawingLength (mm) is the least ink that makes a drawing present.
	MinDrawingLength float64
}

// Defaults of Options. The mark thresholds were set on synthetic pen ink
// (points every 0.3 mm, see the package tests) and 5–6 mm boxes, the usual
// size of a checkbox on a form. The assignment rules are ink's, because
// cutouts assign strokes with them too and must show the same ink.
const (
	DefaultEdgeTolerance       = ink.DefaultEdgeTolerance
	DefaultMinShare            = ink.DefaultMinShare
	DefaultMinMarkLength       = 1.5
	DefaultMinMarkCoverage     = 0.2
	DefaultInkWidth            = 1.0
	DefaultCancelCoverage      = 0.8
	DefaultCancelReversals     = 4
	DefaultUndecidedConfidence = 0.5
	DefaultMinSignatureLength  = 10.0
	DefaultMinSignatureExtent  = 0.15
	DefaultMinDrawingLength    = 1.5
)

// withDefaults returns the options with every zero (or negative) field set
// to its default.
func (o Options) withDefaults() Options {
	def := func(v *float64, d float64) {
		if !(*v > 0) { // also catches NaN
			*v = d
		}
	}
	def(&o.EdgeTolerance, DefaultEdgeTolerance)
	def(&o.MinShare, DefaultMinShare)
	def(&o.MinMarkLength, DefaultMinMarkLength)
	def(&o.MinMarkCoverage, DefaultMinMarkCoverage)
	def(&o.InkWidth, DefaultInkWidth)
	def(&o.CancelCoverage, DefaultCancelCoverage)
	def(&o.UndecidedConfidence, DefaultUndecidedConfidence)
	def(&o.MinSignatureLength, DefaultMinSignatureLength)
	def(&o.MinSignatureExtent, DefaultMinSignatureExtent)
	def(&o.MinDrawingLength, DefaultMinDrawingLength)
	if o.CancelReversals <= 0 {
		o.CancelReversals = DefaultCancelReversals
	}
	return o
}

// confidenceScale makes a measure twice (or half) its threshold give a
// confidence of 0.95: tanh(ln 2 / s) = 0.9, so s = ln 2 / atanh(0.9).
const confidenceScale = math.Ln2 / 1.4722194895832204

// marginConfidence turns a measure and the threshold it is compared with into
// a confidence in the decision: 0.5 exactly at the threshold, rising smoothly
// with the ratio between the two (in either direction) to 0.95 at a factor
// of two and towards 1 beyond. A ratio rather than a difference is used
// because the measures (mm of ink, shares of a box) span orders of magnitude
// between a dot and a scribble. A measure of 0 (no ink) is certain.
func marginConfidence(measure, threshold float64) float64 {
	if measure <= 0 || threshold <= 0 {
		return 1
	}
	r := math.Abs(math.Log(measure / threshold))
	return 0.5 + 0.5*math.Tanh(r/confidenceScale)
}
