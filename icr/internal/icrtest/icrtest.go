// Package icrtest holds the small hand-made characters that the tests of
// icr, its model and its trainer draw; tests only.
package icrtest

import "github.com/inkform/inkform"

// Line is a vertical bar, 6 mm high: a "1" or an "I".
func Line() []inkform.Stroke {
	var s inkform.Stroke
	for i := 0; i <= 20; i++ {
		s.Points = append(s.Points, inkform.Point{X: 10 + 0.01*float64(i), Y: 20 + 0.3*float64(i), T: int64(10 * i)})
	}
	return []inkform.Stroke{s}
}

// Four is a "4" in two strokes: an "L" and a vertical bar through it.
func Four(x0 float64, t0 int64) []inkform.Stroke {
	l := inkform.Stroke{Points: []inkform.Point{{X: x0 + 2, Y: 0, T: t0}, {X: x0, Y: 4, T: t0 + 50}, {X: x0 + 4, Y: 4, T: t0 + 100}}}
	bar := inkform.Stroke{Points: []inkform.Point{{X: x0 + 3, Y: 1, T: t0 + 300}, {X: x0 + 3, Y: 6, T: t0 + 350}}}
	return []inkform.Stroke{l, bar}
}

// Bar is a vertical stroke from (x, y0) to (x, y1), slightly bowed, drawn in 80 ms.
func Bar(x, y0, y1 float64, t int64) inkform.Stroke {
	return inkform.Stroke{Points: []inkform.Point{{X: x, Y: y0, T: t}, {X: x + 0.1, Y: (y0 + y1) / 2, T: t + 40}, {X: x, Y: y1, T: t + 80}}}
}

// HBar is a horizontal stroke from (x0, y) to (x1, y), drawn in 60 ms.
func HBar(x0, x1, y float64, t int64) inkform.Stroke {
	return inkform.Stroke{Points: []inkform.Point{{X: x0, Y: y, T: t}, {X: x1, Y: y, T: t + 60}}}
}

// Transform scales strokes by scale and moves them by (dx, dy).
func Transform(strokes []inkform.Stroke, scale, dx, dy float64) []inkform.Stroke {
	out := make([]inkform.Stroke, len(strokes))
	for i, s := range strokes {
		for _, p := range s.Points {
			out[i].Points = append(out[i].Points, inkform.Point{X: p.X*scale + dx, Y: p.Y*scale + dy, T: p.T})
		}
	}
	return out
}
