package charnet

import (
	"math"

	"github.com/inkform/inkform"
)

// Ink map layout, the convolutional network's input: the character drawn
// into MapChannels maps of side×side pixels, stored pixel-major (channel
// last, "HWC") so that a pixel's channels are contiguous.
//
//   - channels 0–7: ink by writing direction, soft-binned over 360° in
//     steps of 45° (so a stroke drawn backwards lands in other maps);
//   - channel 8: all ink;
//   - channel 9: the pen-up jumps between strokes.
const (
	MapChannels = 10
	mapDirs     = 8
	mapInk      = 8
	mapJump     = 9
	// mapStep is the longest piece of a segment splatted at once, in
	// pixels: short enough that a diagonal line stays continuous.
	mapStep = 0.5
	// MapGlobals is how many global values follow the maps: log aspect,
	// stroke count, share of pen-up travel, ink length.
	MapGlobals = globalFeats
)

// InkMaps renders the character into maps (side·side·MapChannels values,
// HWC) and writes its global values into globals (MapGlobals); it reports
// false when the ink has no points. The bounding box is scaled to side−2
// pixels around the centre, aspect kept, which leaves a one-pixel margin.
func (sc *FeatureScratch) InkMaps(strokes []inkform.Stroke, side int, maps, globals []float32) bool {
	maps = maps[:side*side*MapChannels]
	clear(maps)
	b := inkBox(strokes)
	if b.strokes == 0 {
		return false
	}
	w, h, scale, cx, cy, nStrokes := b.w, b.h, b.scale, b.cx, b.cy, b.strokes
	px := float64(side-2) / scale
	mid := float64(side)/2 - 0.5
	total, upLen := 0.0, 0.0
	var last pathPoint
	started := false
	for i := range strokes {
		pts := strokes[i].Points
		for j, p := range pts {
			q := pathPoint{x: (p.X-cx)*px + mid, y: (p.Y-cy)*px + mid, up: j == 0}
			if !started {
				last, started = q, true
				if len(pts) == 1 {
					splat(maps, side, q.x, q.y, mapInk, 1, -1, 0)
				}
				continue
			}
			dx, dy := q.x-last.x, q.y-last.y
			d := math.Sqrt(dx*dx + dy*dy)
			if j > 0 && j < len(pts)-1 && d < minStep*float64(side-2) {
				continue
			}
			total += d
			if q.up {
				upLen += d
				segment(maps, side, last, q, d, mapJump, -1, 0)
				if len(pts) == 1 {
					splat(maps, side, q.x, q.y, mapInk, 1, -1, 0)
				}
			} else if d > 0 {
				ang := math.Atan2(dy, dx)
				if ang < 0 {
					ang += 2 * math.Pi
				}
				f := ang / (2 * math.Pi / mapDirs)
				d0 := int(f) % mapDirs
				segment(maps, side, last, q, d, d0, (d0+1)%mapDirs, float32(f-math.Floor(f)))
			}
			last = q
		}
	}
	globals = globals[:MapGlobals]
	globals[0] = float32(math.Max(-3, math.Min(3, math.Log((h+scale*0.01)/(w+scale*0.01)))))
	globals[1] = float32(min(nStrokes, 5)) / 5
	globals[2] = 0
	if total > 0 {
		globals[2] = float32(upLen / total)
	}
	globals[3] = float32(math.Min((total-upLen)/float64(side-2), 8) / 8)
	return true
}

// segment splats the segment a→b (length d pixels) in pieces of at most
// mapStep: into channel c0 (and, for ink, c1 with weight w1 beside c0 with
// 1−w1, plus the all-ink map).
func segment(maps []float32, side int, a, b pathPoint, d float64, c0, c1 int, w1 float32) {
	n := max(1, int(math.Ceil(d/mapStep)))
	piece := float32(d / float64(n))
	for k := 0; k < n; k++ {
		t := (float64(k) + 0.5) / float64(n)
		x, y := a.x+t*(b.x-a.x), a.y+t*(b.y-a.y)
		if c1 < 0 {
			splat(maps, side, x, y, c0, piece, -1, 0)
			continue
		}
		splat(maps, side, x, y, c0, piece*(1-w1), c1, piece*w1)
		splat(maps, side, x, y, mapInk, piece, -1, 0)
	}
}

// cell is a pixel index and its bilinear weight.
type cell struct {
	i int
	w float32
}

// bilinear returns the four pixels of a side×side grid nearest to (x, y),
// clamped into the grid, with their bilinear weights.
func bilinear(side int, x, y float64) [4]cell {
	lim := float64(side - 1)
	x, y = math.Max(0, math.Min(lim, x)), math.Max(0, math.Min(lim, y))
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, side-1), min(y0+1, side-1)
	fx, fy := float32(x-float64(x0)), float32(y-float64(y0))
	return [4]cell{
		{y0*side + x0, (1 - fx) * (1 - fy)},
		{y0*side + x1, fx * (1 - fy)},
		{y1*side + x0, (1 - fx) * fy},
		{y1*side + x1, fx * fy},
	}
}

// splat adds v0 to channel c0 (and v1 to c1 when c1 ≥ 0) at (x, y),
// spread bilinearly over the four nearest pixels.
func splat(maps []float32, side int, x, y float64, c0 int, v0 float32, c1 int, v1 float32) {
	for _, c := range bilinear(side, x, y) {
		o := c.i * MapChannels
		maps[o+c0] += v0 * c.w
		if c1 >= 0 {
			maps[o+c1] += v1 * c.w
		}
	}
}
