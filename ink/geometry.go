package ink

import (
	"math"

	"github.com/inkform/inkform"
)

// This file holds the basic measures of ink: lengths, bounds and boxes. All
// coordinates are millimetres on the page, y downwards, as in the domain.

// Length returns the path length of a stroke in millimetres: the sum of the
// distances between consecutive points. A dot (one point, or points that never
// move) has length 0. Segments with a NaN or infinite coordinate are skipped
// here and in every other measure of this package, so one corrupt sample
// cannot turn a document's measures into NaN.
func Length(s *inkform.Stroke) float64 {
	var n float64
	for i := 1; i < len(s.Points); i++ {
		if d := dist(s.Points[i-1], s.Points[i]); d <= math.MaxFloat64 {
			n += d
		}
	}
	return n
}

// TotalLength returns the summed path length of the strokes.
func TotalLength(strokes []inkform.Stroke) float64 {
	var n float64
	for i := range strokes {
		n += Length(&strokes[i])
	}
	return n
}

// Bounds returns the bounding box of all points of the strokes and false when
// there are no points at all (so that an empty box is not mistaken for ink at
// the page origin). Points with a NaN or infinite coordinate are left out.
func Bounds(strokes []inkform.Stroke) (inkform.Box, bool) {
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for i := range strokes {
		for _, p := range strokes[i].Points {
			if !finite(p) {
				continue
			}
			minX, maxX = min(minX, p.X), max(maxX, p.X)
			minY, maxY = min(minY, p.Y), max(maxY, p.Y)
		}
	}
	if minX > maxX {
		return inkform.Box{}, false
	}
	return inkform.Box{X: minX, Y: minY, W: maxX - minX, H: maxY - minY}, true
}

// Expand returns the box grown by margin millimetres on every side. A
// negative margin shrinks it; the width and height never go below zero, so a
// shrunk box collapses onto its centre instead of turning inside out.
func Expand(b inkform.Box, margin float64) inkform.Box {
	e := inkform.Box{X: b.X - margin, Y: b.Y - margin, W: b.W + 2*margin, H: b.H + 2*margin}
	if e.W < 0 {
		e.X, e.W = b.X+b.W/2, 0
	}
	if e.H < 0 {
		e.Y, e.H = b.Y+b.H/2, 0
	}
	return e
}

// Area returns the area of a box in square millimetres.
func Area(b inkform.Box) float64 {
	return b.W * b.H
}

// Intersects reports whether two boxes overlap or touch. The assignment of
// strokes to fields uses it to skip boxes a stroke cannot reach before doing
// exact clipping.
func Intersects(a, b inkform.Box) bool {
	return a.X <= b.X+b.W && b.X <= a.X+a.W && a.Y <= b.Y+b.H && b.Y <= a.Y+a.H
}

// ContainsBox reports whether inner lies wholly inside outer, edges
// included.
func ContainsBox(outer, inner inkform.Box) bool {
	return inner.X >= outer.X && inner.Y >= outer.Y &&
		inner.X+inner.W <= outer.X+outer.W && inner.Y+inner.H <= outer.Y+outer.H
}

// Intersection returns the overlap of two boxes and false when they do not
// overlap (touching edges give a zero-width box and true).
func Intersection(a, b inkform.Box) (inkform.Box, bool) {
	x0, y0 := max(a.X, b.X), max(a.Y, b.Y)
	x1, y1 := min(a.X+a.W, b.X+b.W), min(a.Y+a.H, b.Y+b.H)
	if x0 > x1 || y0 > y1 {
		return inkform.Box{}, false
	}
	return inkform.Box{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}, true
}

// Translate returns copies of the strokes moved by (dx, dy). The input is
// not modified, because the stored ink of a document is shared by every
// consumer (cutouts, PDF, recognition).
func Translate(strokes []inkform.Stroke, dx, dy float64) []inkform.Stroke {
	n := 0
	for i := range strokes {
		n += len(strokes[i].Points)
	}
	// One backing array for all points keeps this to two allocations.
	pts := make([]inkform.Point, 0, n)
	out := make([]inkform.Stroke, len(strokes))
	for i := range strokes {
		start := len(pts)
		for _, p := range strokes[i].Points {
			p.X += dx
			p.Y += dy
			pts = append(pts, p)
		}
		out[i].Points = pts[start:len(pts):len(pts)]
	}
	return out
}

// Centre returns the centre of a box.
func Centre(b inkform.Box) (x, y float64) {
	return b.X + b.W/2, b.Y + b.H/2
}

// dist is the distance between two points. math.Hypot guards against
// overflow that millimetre coordinates cannot reach, at twice the cost.
func dist(a, b inkform.Point) float64 {
	dx, dy := b.X-a.X, b.Y-a.Y
	return math.Sqrt(dx*dx + dy*dy)
}

// finite reports whether a point has finite coordinates.
func finite(p inkform.Point) bool {
	// x-x is 0 for finite x and NaN for NaN and ±Inf.
	return p.X-p.X == 0 && p.Y-p.Y == 0
}
