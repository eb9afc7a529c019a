package icrtrain

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/inkform/inkform"
)

// Augmentation ranges: enough to imitate another writer's slant, rotation
// and proportions without turning one character into another (a strongly
// rotated 6 would be a 9, a stretched 0 an O).
const (
	augRotate  = 0.12 // radians, ±
	augShear   = 0.30 // x += shear·y, ±
	augStretch = 0.18 // log of the x/y scale ratio, ±
	augWave    = 0.03 // amplitude of a smooth displacement, share of the size
	augReorder = 0.15 // chance to swap two strokes
	augReverse = 0.05 // chance, per stroke, to draw it backwards
	augJoin    = 0.10 // chance to join two consecutive strokes
	augSplit   = 0.10 // chance to split a stroke in two
)

// augmenter distorts a character into reused buffers.
type augmenter struct {
	strokes []inkform.Stroke
	points  []inkform.Point
	order   []int
	starts  []int // offset in points of each stroke before joins and splits
}

// distort returns a randomly rotated, slanted, stretched and jittered copy
// of strokes; the copy is valid until the next call.
func (a *augmenter) distort(rng *rand.Rand, strokes []inkform.Stroke) []inkform.Stroke {
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	total := 0
	for i := range strokes {
		for _, p := range strokes[i].Points {
			minX, maxX = min(minX, p.X), max(maxX, p.X)
			minY, maxY = min(minY, p.Y), max(maxY, p.Y)
		}
		total += len(strokes[i].Points)
	}
	size := max(maxX-minX, maxY-minY, 1e-9)
	cx, cy := (minX+maxX)/2, (minY+maxY)/2

	rot := (rng.Float64()*2 - 1) * augRotate
	shear := (rng.Float64()*2 - 1) * augShear
	stretch := math.Exp((rng.Float64()*2 - 1) * augStretch)
	sx, sy := math.Sqrt(stretch), 1/math.Sqrt(stretch)
	cos, sin := math.Cos(rot), math.Sin(rot)
	// One matrix: stretch, then shear, then rotate.
	a11, a12 := cos*sx, (cos*shear-sin)*sy
	a21, a22 := sin*sx, (sin*shear+cos)*sy
	// The jitter is a smooth wave rather than noise per point: with fast
	// tablets points lie so close that per-point noise would scramble the
	// writing direction.
	jit := augWave * size
	fx, fy := (0.5+rng.Float64())*2*math.Pi/size, (0.5+rng.Float64())*2*math.Pi/size
	px, py := rng.Float64()*2*math.Pi, rng.Float64()*2*math.Pi

	if cap(a.points) < total {
		a.points = make([]inkform.Point, total)
	}
	pts := a.points[:total]
	a.strokes = a.strokes[:0]
	// Writers differ in stroke order and direction as much as in shape
	// (a "4" started at its bar, an "E" with the spine last): sometimes
	// swap two strokes, sometimes draw one backwards.
	a.order = a.order[:0]
	for i := range strokes {
		a.order = append(a.order, i)
	}
	if len(strokes) > 1 && rng.Float64() < augReorder {
		i, j := rng.IntN(len(strokes)), rng.IntN(len(strokes))
		a.order[i], a.order[j] = a.order[j], a.order[i]
	}
	a.starts = a.starts[:0]
	k := 0
	for _, i := range a.order {
		start := k
		for _, p := range strokes[i].Points {
			x, y := p.X-cx, p.Y-cy
			pts[k] = inkform.Point{
				X: a11*x + a12*y + jit*math.Sin(fy*y+px),
				Y: a21*x + a22*y + jit*math.Sin(fx*x+py),
				T: p.T,
			}
			k++
		}
		if rng.Float64() < augReverse {
			slices.Reverse(pts[start:k])
		}
		a.strokes = append(a.strokes, inkform.Stroke{Points: pts[start:k:k]})
		a.starts = append(a.starts, start)
	}
	// Writers also differ in where they lift the pen: sometimes join two
	// consecutive strokes (their points are adjacent in pts), sometimes
	// split one in two.
	if n := len(a.strokes); n > 1 && rng.Float64() < augJoin {
		i := rng.IntN(n - 1)
		end := a.starts[i+1] + len(a.strokes[i+1].Points)
		a.strokes[i].Points = pts[a.starts[i]:end:end]
		a.strokes = slices.Delete(a.strokes, i+1, i+2)
	}
	if i := rng.IntN(len(a.strokes)); rng.Float64() < augSplit && len(a.strokes[i].Points) >= 6 {
		p := a.strokes[i].Points
		m := 2 + rng.IntN(len(p)-3)
		a.strokes = slices.Insert(a.strokes, i+1, inkform.Stroke{Points: p[m:]})
		a.strokes[i].Points = p[:m:m]
	}
	return a.strokes
}
