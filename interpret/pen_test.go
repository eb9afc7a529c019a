package interpret

import (
	"math"
	"math/rand/v2"

	"github.com/inkform/inkform"
)

// pen synthesises ink the way a hand and a digital pen make it: points about
// every 0.3 mm (the Anoto pattern pitch) sampled at 75 Hz, a speed that
// varies, a little positional jitter, force that rises and falls, and pauses
// between strokes. It is seeded, so every test sees the same ink each run.
type pen struct {
	rng *rand.Rand
	t   int64 // ms
}

func newPen(seed uint64) *pen {
	return &pen{rng: rand.New(rand.NewPCG(seed, 0x1f2e3d4c))}
}

// jitter is the standard deviation (mm) of the pen's position noise.
const jitter = 0.03

// stroke draws a polyline through the waypoints (x0, y0, x1, y1, ...).
func (p *pen) stroke(xy ...float64) inkform.Stroke {
	var pts [][2]float64
	for i := 0; i+1 < len(xy); i += 2 {
		pts = append(pts, [2]float64{xy[i], xy[i+1]})
	}
	return p.path(pts)
}

// curve draws the parametric path f(u), u from 0 to 1, through n waypoints.
func (p *pen) curve(n int, f func(u float64) (x, y float64)) inkform.Stroke {
	pts := make([][2]float64, n+1)
	for i := range pts {
		x, y := f(float64(i) / float64(n))
		pts[i] = [2]float64{x, y}
	}
	return p.path(pts)
}

func (p *pen) path(way [][2]float64) inkform.Stroke {
	p.t += 150 + int64(p.rng.IntN(250)) // pen up between strokes
	var s inkform.Stroke
	add := func(x, y float64) {
		s.Points = append(s.Points, inkform.Point{
			X: x + p.rng.NormFloat64()*jitter,
			Y: y + p.rng.NormFloat64()*jitter,
			T: p.t,
		})
		p.t += 13 // 75 Hz
	}
	add(way[0][0], way[0][1])
	for i := 1; i < len(way); i++ {
		a, b := way[i-1], way[i]
		d := math.Hypot(b[0]-a[0], b[1]-a[1])
		step := 0.3 * (0.8 + 0.4*p.rng.Float64())
		n := max(1, int(math.Round(d/step)))
		for k := 1; k <= n; k++ {
			f := float64(k) / float64(n)
			add(a[0]+f*(b[0]-a[0]), a[1]+f*(b[1]-a[1]))
		}
	}
	// Force rises as the nib lands and falls as it lifts.
	for i := range s.Points {
		u := float64(i) / float64(max(1, len(s.Points)-1))
		s.Points[i].F = 0.2 + 0.5*math.Sin(math.Pi*u)
	}
	return s
}

// vary returns v moved by up to ±amount, so repeated marks are not copies.
func (p *pen) vary(v, amount float64) float64 {
	return v + (p.rng.Float64()*2-1)*amount
}

// tick draws a ✓ in the box: a short stroke down, a long one up to the right.
func (p *pen) tick(b inkform.Box) inkform.Stroke {
	return p.stroke(
		b.X+p.vary(0.2, 0.05)*b.W, b.Y+p.vary(0.55, 0.05)*b.H,
		b.X+p.vary(0.4, 0.05)*b.W, b.Y+p.vary(0.85, 0.05)*b.H,
		b.X+p.vary(0.9, 0.05)*b.W, b.Y+p.vary(0.1, 0.05)*b.H,
	)
}

// cross draws an ✗ corner to corner.
func (p *pen) cross(b inkform.Box) []inkform.Stroke {
	return []inkform.Stroke{
		p.stroke(b.X+p.vary(0.15, 0.05)*b.W, b.Y+p.vary(0.15, 0.05)*b.H, b.X+p.vary(0.85, 0.05)*b.W, b.Y+p.vary(0.85, 0.05)*b.H),
		p.stroke(b.X+p.vary(0.85, 0.05)*b.W, b.Y+p.vary(0.15, 0.05)*b.H, b.X+p.vary(0.15, 0.05)*b.W, b.Y+p.vary(0.85, 0.05)*b.H),
	}
}

// circle draws a slightly open loop around the centre of the box, with
// radius r in mm.
func (p *pen) circle(b inkform.Box, r float64) inkform.Stroke {
	cx, cy := b.X+b.W/2, b.Y+b.H/2
	start := p.rng.Float64() * 2 * math.Pi
	return p.curve(40, func(u float64) (float64, float64) {
		a := start + u*2.1*math.Pi
		return cx + r*math.Cos(a), cy + 0.9*r*math.Sin(a)
	})
}

// dot is the pen touching the paper and lifting: a few samples in place.
func (p *pen) dot(x, y float64) inkform.Stroke {
	return p.stroke(x, y, x+0.05, y+0.05, x+0.1, y)
}

// flick is an accidental brush of the nib, about 0.8 mm long.
func (p *pen) flick(x, y float64) inkform.Stroke {
	return p.stroke(x, y, x+0.6, y+0.5)
}

// scribble fills the box with back-and-forth passes spacing mm apart,
// overshooting the edges a little, as a hand does to blot a box out.
func (p *pen) scribble(b inkform.Box, spacing float64) inkform.Stroke {
	var xy []float64
	left := true
	for y := b.Y + 0.2; y <= b.Y+b.H-0.1; y += spacing {
		x := b.X + b.W + p.vary(0.3, 0.3)
		if left {
			x = b.X - p.vary(0.3, 0.3)
		}
		xy = append(xy, x, y+p.vary(0, 0.1))
		left = !left
	}
	return p.stroke(xy...)
}

// signature writes a cursive-looking scrawl over frac of the box's width:
// a run of loops and a closing underline.
func (p *pen) signature(b inkform.Box, frac float64) []inkform.Stroke {
	x0, y0 := b.X+0.1*b.W, b.Y+0.6*b.H
	w, h := frac*b.W, 0.3*b.H
	loops := 3 + p.rng.IntN(3)
	body := p.curve(30*loops, func(u float64) (float64, float64) {
		a := u * float64(loops) * 2 * math.Pi
		return x0 + u*w + 0.15*h*math.Sin(a), y0 - h*(0.5+0.5*math.Sin(a-math.Pi/2))*(1-0.3*u)
	})
	line := p.stroke(x0, y0+0.15*b.H, x0+w, y0+0.1*b.H)
	return []inkform.Stroke{body, line}
}

// digit writes a digit as simple strokes in the cell, the way block capitals
// are taught: enough to exercise splitting, not to train a recognizer.
func (p *pen) digit(d rune, cell inkform.Box) []inkform.Stroke {
	// Glyphs on a 0..1 square, y downwards; each inner slice is a stroke.
	glyphs := map[rune][][]float64{
		'0': nil, // drawn as an ellipse below
		'1': {{0.3, 0.2, 0.55, 0, 0.55, 1}},
		'2': {{0.1, 0.2, 0.5, 0, 0.9, 0.2, 0.1, 1, 0.9, 1}},
		'3': {{0.1, 0, 0.9, 0, 0.4, 0.45, 0.9, 0.7, 0.5, 1, 0.1, 0.9}},
		'4': {{0.7, 1, 0.7, 0, 0.1, 0.7, 0.9, 0.7}},
		'5': {{0.9, 0, 0.2, 0, 0.15, 0.45, 0.8, 0.5, 0.8, 0.9, 0.1, 1}},
		'6': {{0.8, 0, 0.2, 0.5, 0.2, 1, 0.8, 1, 0.8, 0.55, 0.2, 0.55}},
		'7': {{0.1, 0, 0.9, 0, 0.35, 1}},
		'8': {{0.5, 0.5, 0.15, 0.25, 0.5, 0, 0.85, 0.25, 0.15, 0.75, 0.5, 1, 0.85, 0.75, 0.5, 0.5}},
		'9': {{0.8, 0.45, 0.2, 0.45, 0.2, 0, 0.8, 0, 0.8, 1}},
	}
	// The digit takes the middle of the cell: 60% of its width, 70% of
	// its height.
	gx, gy := cell.X+0.2*cell.W, cell.Y+0.15*cell.H
	gw, gh := 0.6*cell.W, 0.7*cell.H
	if d == '0' {
		return []inkform.Stroke{p.curve(30, func(u float64) (float64, float64) {
			a := u * 2.05 * math.Pi
			return gx + gw*(0.5+0.5*math.Sin(a)), gy + gh*(0.5-0.5*math.Cos(a))
		})}
	}
	var out []inkform.Stroke
	for _, g := range glyphs[d] {
		xy := make([]float64, len(g))
		for i := 0; i+1 < len(g); i += 2 {
			xy[i], xy[i+1] = gx+p.vary(g[i], 0.03)*gw, gy+p.vary(g[i+1], 0.03)*gh
		}
		out = append(out, p.stroke(xy...))
	}
	return out
}

// shift returns the strokes moved by (dx, dy), for ink that strays.
func shift(strokes []inkform.Stroke, dx, dy float64) []inkform.Stroke {
	out := make([]inkform.Stroke, len(strokes))
	for i, s := range strokes {
		out[i].Points = make([]inkform.Point, len(s.Points))
		for j, pt := range s.Points {
			pt.X += dx
			pt.Y += dy
			out[i].Points[j] = pt
		}
	}
	return out
}
