package inkml

import (
	"fmt"
	"math"

	"github.com/inkform/inkform"
)

// AnotoUnitMM is the size in millimetres of one Anoto pattern unit, the unit
// of X and Y when a channel declares none. Pens report positions on the dot
// grid of about 0.3 mm.
const AnotoUnitMM = 0.3

// Namespace is the InkML namespace. Documents without a namespace are
// accepted too, as files in the wild often omit it.
const Namespace = "http://www.w3.org/2003/InkML"

// Ranges beyond which values are refused: no page is a kilometre wide, and
// keeping values bounded lets the storage codec quantise them to integers
// without overflow.
const (
	maxCoordMM = 1e6
	maxForce   = 1e9
	maxTimeMS  = 1 << 53
)

// Limits bound what a parser accepts. A zero field means "no input allowed"
// for counts, so start from DefaultLimits and lower what you need.
type Limits struct {
	MaxBytes  int64 // size of the document
	MaxPoints int   // points over all traces
	MaxTraces int   // traces (strokes), penUp traces included
	MaxPages  int   // distinct page addresses
}

// Configured returns lim with each zero or negative field (not configured,
// in a server's settings) replaced by its default.
func (lim Limits) Configured() Limits {
	def := DefaultLimits()
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = def.MaxBytes
	}
	if lim.MaxPoints <= 0 {
		lim.MaxPoints = def.MaxPoints
	}
	if lim.MaxTraces <= 0 {
		lim.MaxTraces = def.MaxTraces
	}
	if lim.MaxPages <= 0 {
		lim.MaxPages = def.MaxPages
	}
	return lim
}

// DefaultLimits returns the capture defaults of the domain.
func DefaultLimits() Limits {
	return Limits{
		MaxBytes:  inkform.DefaultMaxBodyBytes,
		MaxPoints: inkform.DefaultMaxPoints,
		MaxTraces: inkform.DefaultMaxTraces,
		MaxPages:  inkform.DefaultMaxPagesPerSubmit,
	}
}

func (lim Limits) checkBytes(n int, what string) error {
	if int64(n) > lim.MaxBytes {
		return inkform.Errorf(inkform.ETOOLARGE, "%s is %d bytes, more than the limit of %d bytes", what, n, lim.MaxBytes)
	}
	return nil
}

func tooManyPoints(lim Limits) error {
	return inkform.Errorf(inkform.ETOOLARGE, "ink has more than the limit of %d points", lim.MaxPoints)
}

func tooManyTraces(lim Limits) error {
	return inkform.Errorf(inkform.ETOOLARGE, "ink has more than the limit of %d traces", lim.MaxTraces)
}

func tooManyPages(lim Limits) error {
	return inkform.Errorf(inkform.ETOOLARGE, "ink is on more than the limit of %d pages", lim.MaxPages)
}

// lengthUnitMM returns the size of a length unit in millimetres. The empty
// unit is the Anoto pattern unit; "anoto" names it explicitly (JSON format).
func lengthUnitMM(units string) (float64, bool) {
	switch units {
	case "", "anoto":
		return AnotoUnitMM, true
	case "mm":
		return 1, true
	case "cm":
		return 10, true
	case "m":
		return 1000, true
	case "in":
		return 25.4, true
	case "pt":
		return 25.4 / 72, true
	}
	return 0, false
}

// timeUnitMS returns the size of a time unit in milliseconds.
func timeUnitMS(units string) (float64, bool) {
	switch units {
	case "", "ms":
		return 1, true
	case "s":
		return 1000, true
	}
	return 0, false
}

// pointProblem describes why a point's values are refused, or returns ""
// when they are fine.
func pointProblem(x, y, t, f float64) string {
	switch {
	case !finite(x) || !finite(y) || !finite(t) || !finite(f):
		return "values must be finite numbers"
	case math.Abs(x) > maxCoordMM || math.Abs(y) > maxCoordMM:
		return fmt.Sprintf("coordinate (%g, %g) mm is out of range (at most %g mm)", x, y, float64(maxCoordMM))
	case math.Abs(t) > maxTimeMS:
		return fmt.Sprintf("time %g ms is out of range", t)
	case math.Abs(f) > maxForce:
		return fmt.Sprintf("force %g is out of range (at most %g)", f, float64(maxForce))
	}
	return ""
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
