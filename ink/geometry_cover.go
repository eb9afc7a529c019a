package ink

import (
	"math"

	"github.com/inkform/inkform"
)

// This file estimates how ink fills a box and how it was drawn, the two
// measures that tell a scribbled-out checkbox from a tick or a cross.

// maxCoverageCells bounds the grid of Coverage per side, so a large box (a
// drawing area) with a fine pen width costs at most 256×256 cells.
const maxCoverageCells = 256

// Coverage estimates the share (0 to 1) of the box's area covered by the ink
// when it is drawn as a line of the given width in millimetres.
//
// The estimate is the occupancy of a grid of cells of about width/2 over the
// box: the path is sampled every half cell, and a cell counts as covered
// when its centre lies within width/2 of a sample. Occupancy rather than
// "length × width" is used because a hand going over the same place again
// (a re-traced tick, a scribble) must not count twice. Ink outside the box
// counts only where its band reaches into the box. The grid is capped at
// 256 cells per side, so for large boxes the cells grow and the estimate
// gets coarser, which is fine for "is there much ink here".
func Coverage(strokes []inkform.Stroke, b inkform.Box, width float64) float64 {
	if !(b.W > 0 && b.H > 0 && width > 0) || math.IsInf(b.W+b.H+width, 0) {
		return 0
	}
	g := newGrid(b, width)
	r := width / 2
	reach := Expand(b, r)
	for i := range strokes {
		pts := strokes[i].Points
		if len(pts) == 1 && finite(pts[0]) {
			g.stamp(pts[0].X, pts[0].Y, r)
		}
		// Samples are placed every step along the path, carrying the
		// distance over segment ends, because pens sample every 0.3 mm and
		// restarting at each point would stamp most places two or three
		// times. since < 0 means the path has just (re)entered reach.
		since := -1.0
		var last inkform.Point
		for j := 1; j < len(pts); j++ {
			p, q := pts[j-1], pts[j]
			// Only the part of the segment whose band can reach the box is
			// sampled, which also bounds the work for a far-flung point.
			t0, t1, ok := clipSegment(p.X, p.Y, q.X, q.Y, reach)
			if !ok || !(dist(p, q) <= math.MaxFloat64) {
				since = g.close(last, since, r)
				continue
			}
			a, c := lerp(p, q, t0), lerp(p, q, t1)
			if since < 0 || t0 > 0 {
				g.close(last, since, r)
				g.stamp(a.X, a.Y, r)
				since = 0
			}
			d := dist(a, c)
			pos := g.step - since
			for ; pos <= d; pos += g.step {
				t := pos / d
				g.stamp(a.X+t*(c.X-a.X), a.Y+t*(c.Y-a.Y), r)
			}
			since = d - (pos - g.step)
			last = c
			if t1 < 1 {
				since = g.close(last, since, r)
			}
		}
		g.close(last, since, r)
	}
	return float64(g.count) / float64(len(g.covered))
}

// grid is the occupancy grid of Coverage.
type grid struct {
	box          inkform.Box
	nx, ny       int
	cw, ch, step float64
	covered      []bool
	count        int
}

func newGrid(b inkform.Box, width float64) *grid {
	cell := max(width/2, max(b.W, b.H)/maxCoverageCells)
	// Whole numbers of cells that tile the box exactly, so edge cells are not
	// half outside it.
	nx := max(1, int(math.Round(b.W/cell)))
	ny := max(1, int(math.Round(b.H/cell)))
	g := &grid{box: b, nx: nx, ny: ny, cw: b.W / float64(nx), ch: b.H / float64(ny)}
	// Half a cell keeps every cell near the path within reach of a sample;
	// the floor of width/8 keeps a sliver of a box from asking for
	// billions of samples (the stamp's radius is width/2 anyway).
	g.step = max(min(g.cw, g.ch)/2, width/8)
	g.covered = make([]bool, nx*ny)
	return g
}

// close stamps the end of a sampled run, unless a sample fell on it, so
// that a stroke's last fraction of a step is covered too, and returns -1:
// the next segment starts a new run.
func (g *grid) close(end inkform.Point, since, r float64) float64 {
	if since > 0 {
		g.stamp(end.X, end.Y, r)
	}
	return -1
}

// stamp marks the cells whose centres lie within r of (x, y).
func (g *grid) stamp(x, y, r float64) {
	i0 := max(0, int(math.Floor((x-r-g.box.X)/g.cw)))
	i1 := min(g.nx-1, int(math.Floor((x+r-g.box.X)/g.cw)))
	j0 := max(0, int(math.Floor((y-r-g.box.Y)/g.ch)))
	j1 := min(g.ny-1, int(math.Floor((y+r-g.box.Y)/g.ch)))
	r2 := r * r
	for j := j0; j <= j1; j++ {
		cy := g.box.Y + (float64(j)+0.5)*g.ch - y
		for i := i0; i <= i1; i++ {
			cx := g.box.X + (float64(i)+0.5)*g.cw - x
			if cx*cx+cy*cy <= r2 && !g.covered[j*g.nx+i] {
				g.covered[j*g.nx+i] = true
				g.count++
			}
		}
	}
}

// Reversals counts the places where a pen turns back on its path by more
// than 120°, as in back-and-forth scribbling. Each stroke is first thinned to
// points at least step millimetres apart, so the jitter of a slow pen does
// not read as turning; a turn is then looked for between consecutive steps
// and, for rounded turns spread over two steps, across one intermediate
// point. A tick (about 110° at its foot), a cross and a circle have none;
// scribbling out a box gives one per stroke of the hand.
func Reversals(strokes []inkform.Stroke, step float64) int {
	n := 0
	var k []inkform.Point
	for i := range strokes {
		k = thin(k[:0], strokes[i].Points, step)
		for j := 1; j+1 < len(k); j++ {
			if turnsBack(k[j-1], k[j], k[j], k[j+1]) || (j+2 < len(k) && turnsBack(k[j-1], k[j], k[j+1], k[j+2])) {
				n++
				j += 2 // the same turn must not be counted again from its next point
			}
		}
	}
	return n
}

// thin appends to dst the points of pts that are at least step from the last
// point kept.
func thin(dst, pts []inkform.Point, step float64) []inkform.Point {
	for _, p := range pts {
		if finite(p) && (len(dst) == 0 || dist(dst[len(dst)-1], p) >= step) {
			dst = append(dst, p)
		}
	}
	return dst
}

// turnsBack reports whether the direction b−a and the direction d−c differ
// by more than 120° (cosine below −0.5).
func turnsBack(a, b, c, d inkform.Point) bool {
	ux, uy := b.X-a.X, b.Y-a.Y
	vx, vy := d.X-c.X, d.Y-c.Y
	nu, nv := math.Hypot(ux, uy), math.Hypot(vx, vy)
	if nu == 0 || nv == 0 {
		return false
	}
	return (ux*vx+uy*vy)/(nu*nv) < -0.5
}
