package charnet

import (
	"math"

	"github.com/inkform/inkform"
)

// Feature layout. The vector has three views of one character, all after
// normalising its bounding box to a unit square (aspect ratio kept):
//
//   - the trajectory: the strokes in writing order, joined by their pen-up
//     jumps, resampled to trajPoints equidistant points, each with its
//     position, writing direction and whether the pen touches the paper;
//   - an 8-orientation feature map: ink length per orientation, splatted
//     bilinearly onto a gridSide×gridSide grid, which is robust to stroke
//     order and to how a writer splits a character into strokes;
//   - a few global values: aspect ratio, stroke count and share of pen-up
//     travel.
const (
	trajPoints   = 32
	trajChannels = 5
	gridSide     = 5
	directions   = 8
	globalFeats  = 4
	minStep      = 0.01 // of the character's size

	offTraj     = 0
	offGlobal   = offTraj + trajPoints*trajChannels
	offDir      = offGlobal + globalFeats
	NumFeatures = offDir + gridSide*gridSide*directions
)

// ViewRange returns the slice of the feature vector that a network on the
// named view sees. Networks on different views make different mistakes:
// the trajectory view is misled by an unusual stroke order, the orientation
// view is not, so averaging them cuts the confident errors.
func ViewRange(view string) (from, to int, ok bool) {
	switch view {
	case "traj": // trajectory + globals
		return offTraj, offDir, true
	case "dir": // globals + orientation map
		return offGlobal, NumFeatures, true
	case "all":
		return 0, NumFeatures, true
	}
	return 0, 0, false
}

// pathPoint is a point of the joined trajectory; up marks a point reached by
// a pen-up jump.
type pathPoint struct {
	x, y float64
	up   bool
}

// FeatureScratch holds the buffers Features needs, so that classifying a
// character allocates nothing once the scratch has grown.
type FeatureScratch struct {
	path []pathPoint
	cum  []float64
}

// Features writes the feature vector of one character into dst (length
// NumFeatures). It reports false when the ink has no points.
func (sc *FeatureScratch) Features(strokes []inkform.Stroke, dst []float32) bool {
	dst = dst[:NumFeatures]
	clear(dst)
	b := inkBox(strokes)
	if b.strokes == 0 {
		return false
	}
	w, h, scale, cx, cy, nStrokes := b.w, b.h, b.scale, b.cx, b.cy, b.strokes

	sc.path = sc.path[:0]
	for i := range strokes {
		pts := strokes[i].Points
		for j, p := range pts {
			q := pathPoint{x: (p.X - cx) / scale, y: (p.Y - cy) / scale, up: j == 0 && len(sc.path) > 0}
			// Points closer than minStep to the previous one add nothing
			// but time and noise: fast tablets sample ten times denser
			// than slow ones.
			if j > 0 && j < len(pts)-1 {
				last := sc.path[len(sc.path)-1]
				if dx, dy := q.x-last.x, q.y-last.y; dx*dx+dy*dy < minStep*minStep {
					continue
				}
			}
			sc.path = append(sc.path, q)
		}
	}
	sc.cum = sc.cum[:0]
	total, upLen := 0.0, 0.0
	sc.cum = append(sc.cum, 0)
	grid := dst[offDir:NumFeatures]
	for i := 1; i < len(sc.path); i++ {
		a, b := sc.path[i-1], sc.path[i]
		dx, dy := b.x-a.x, b.y-a.y
		d := math.Sqrt(dx*dx + dy*dy)
		total += d
		sc.cum = append(sc.cum, total)
		if b.up {
			upLen += d
			continue
		}
		if d > 0 {
			splatDirection(grid, (a.x+b.x)/2, (a.y+b.y)/2, dx, dy, d)
		}
	}
	inkLen := total - upLen
	if inkLen > 0 {
		for i := range grid {
			grid[i] /= float32(inkLen)
		}
	}
	sc.resample(dst[offTraj:offGlobal], total)

	g := dst[offGlobal:offDir]
	g[0] = float32(math.Max(-3, math.Min(3, math.Log((h+scale*0.01)/(w+scale*0.01)))))
	g[1] = float32(min(nStrokes, 5)) / 5
	if total > 0 {
		g[2] = float32(upLen / total)
	}
	g[3] = float32(math.Min(inkLen, 8) / 8)
	return true
}

// resample writes trajPoints equidistant points of the joined path.
func (sc *FeatureScratch) resample(dst []float32, total float64) {
	n := len(sc.path)
	j := 0
	for k := 0; k < trajPoints; k++ {
		var x, y float64
		up := false
		if n == 1 || total == 0 {
			x, y = sc.path[0].x, sc.path[0].y
		} else {
			target := total * float64(k) / float64(trajPoints-1)
			for j < n-2 && sc.cum[j+1] < target {
				j++
			}
			seg := sc.cum[j+1] - sc.cum[j]
			t := 0.0
			if seg > 0 {
				t = (target - sc.cum[j]) / seg
			}
			t = math.Max(0, math.Min(1, t))
			x = sc.path[j].x + t*(sc.path[j+1].x-sc.path[j].x)
			y = sc.path[j].y + t*(sc.path[j+1].y-sc.path[j].y)
			up = sc.path[j+1].up
		}
		o := k * trajChannels
		dst[o], dst[o+1] = float32(x), float32(y)
		if !up {
			dst[o+4] = 1
		}
	}
	// Directions from neighbouring resampled points, so that they are as
	// smooth as the resampling and do not depend on the tablet's rate.
	for k := 0; k < trajPoints; k++ {
		a, b := max(k-1, 0), min(k+1, trajPoints-1)
		dx := float64(dst[b*trajChannels] - dst[a*trajChannels])
		dy := float64(dst[b*trajChannels+1] - dst[a*trajChannels+1])
		if d := math.Hypot(dx, dy); d > 0 {
			dst[k*trajChannels+2] = float32(dx / d)
			dst[k*trajChannels+3] = float32(dy / d)
		}
	}
}

// splatDirection adds a segment's length to the two nearest of the
// orientation bins, at its midpoint, spread bilinearly over the grid.
// Orientations are taken modulo 180°: a bar drawn right to left counts like
// one drawn left to right, so this view does not care in which direction
// or order a writer draws the strokes (the trajectory view does).
func splatDirection(grid []float32, mx, my, dx, dy, d float64) {
	ang := math.Atan2(dy, dx)
	if ang < 0 {
		ang += math.Pi
	}
	f := ang / (math.Pi / directions)
	d0 := int(f) % directions
	d1 := (d0 + 1) % directions
	w1 := f - math.Floor(f)
	for _, c := range bilinear(gridSide, (mx+0.5)*(gridSide-1), (my+0.5)*(gridSide-1)) {
		grid[c.i*directions+d0] += float32(d * float64(c.w) * (1 - w1))
		grid[c.i*directions+d1] += float32(d * float64(c.w) * w1)
	}
}

// box is a character's bounding box: its width and height, the larger of
// the two (1 for a dot, whose points all map to the centre), its centre,
// and how many strokes have points.
type box struct {
	w, h, scale, cx, cy float64
	strokes             int
}

// inkBox returns the bounding box of the strokes' points.
func inkBox(strokes []inkform.Stroke) box {
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	var b box
	for i := range strokes {
		if len(strokes[i].Points) == 0 {
			continue
		}
		b.strokes++
		for _, p := range strokes[i].Points {
			minX, maxX = min(minX, p.X), max(maxX, p.X)
			minY, maxY = min(minY, p.Y), max(maxY, p.Y)
		}
	}
	b.w, b.h = maxX-minX, maxY-minY
	b.scale = max(b.w, b.h)
	if b.scale <= 0 {
		b.scale = 1
	}
	b.cx, b.cy = (minX+maxX)/2, (minY+maxY)/2
	return b
}
