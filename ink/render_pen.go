package ink

import (
	"image/color"
	"math"

	"github.com/inkform/inkform"
)

// Line widths of rendered ink, in millimetres. A ballpoint line is about
// 0.3–0.5 mm wide; force, where the pen sends it, spreads widths over that
// range so that heavy and light strokes look different, as on paper.
const (
	MinPenWidth     = 0.25
	MaxPenWidth     = 0.6
	DefaultPenWidth = 0.4 // for ink without force
)

// widthStep quantises widths so that runs of similar force share one path
// (PDF and SVG set a width per path, not per point).
const widthStep = 0.05

// InkColor is the colour of rendered ink: a dark blue, like a ballpoint,
// that stands apart from the black print of a form.
func InkColor() color.RGBA { return color.RGBA{R: 0x14, G: 0x28, B: 0x8c, A: 0xff} }

// Pen turns pen force into line width. Pens report force on their own
// scales (0–1, 0–255, 0–1023), so the heaviest point of the ink drawn
// together stands for MaxPenWidth.
type Pen struct {
	maxForce float64
}

// NewPen returns the pen for drawing the strokes: with force when any point
// has some, otherwise at DefaultPenWidth.
func NewPen(strokes []inkform.Stroke) Pen {
	var m float64
	for i := range strokes {
		for _, p := range strokes[i].Points {
			if p.F > m && !math.IsInf(p.F, 1) {
				m = p.F
			}
		}
	}
	return Pen{maxForce: m}
}

// Width returns the line width in millimetres for a point with force f.
func (p Pen) Width(f float64) float64 {
	if p.maxForce <= 0 {
		return DefaultPenWidth
	}
	r := f / p.maxForce
	if !(r > 0) { // also NaN
		r = 0
	} else if r > 1 {
		r = 1
	}
	w := MinPenWidth + (MaxPenWidth-MinPenWidth)*r
	return math.Round(w/widthStep) * widthStep
}

// Runs calls fn for consecutive pieces of the stroke drawn at one width:
// each run shares its first point with the previous run's last, so the
// pieces join up. A single-point stroke (a dot) is one run of one point.
// Points with non-finite coordinates are left out.
func (p Pen) Runs(s *inkform.Stroke, fn func(width float64, pts []inkform.Point)) {
	pts := finitePoints(s.Points)
	if len(pts) == 0 {
		return
	}
	if len(pts) == 1 {
		fn(p.Width(pts[0].F), pts)
		return
	}
	start := 0
	w := p.Width((pts[0].F + pts[1].F) / 2)
	for i := 2; i < len(pts); i++ {
		wi := p.Width((pts[i-1].F + pts[i].F) / 2)
		if wi != w {
			fn(w, pts[start:i])
			start, w = i-1, wi
		}
	}
	fn(w, pts[start:])
}

// finitePoints returns pts without points whose coordinates are NaN or
// infinite, copying only when there are such points.
func finitePoints(pts []inkform.Point) []inkform.Point {
	for i, q := range pts {
		if !finiteMM(q.X) || !finiteMM(q.Y) {
			out := append([]inkform.Point(nil), pts[:i]...)
			for _, r := range pts[i+1:] {
				if finiteMM(r.X) && finiteMM(r.Y) {
					out = append(out, r)
				}
			}
			return out
		}
	}
	return pts
}

func finiteMM(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
