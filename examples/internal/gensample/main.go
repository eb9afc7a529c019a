// Command gensample writes the sample ink of examples/: the Wound check form
// filled in by hand, as InkML and in the JSON stroke format, and the larger
// InkML document that inkml's parser benchmark reads.
//
// The digits are real handwriting from the UNIPEN corpus (CC BY 4.0; see
// examples/README.md), read from the archive outside the repository; the
// ticks and the signature are drawn from simple curves. Output is
// deterministic. Run from the repository root:
//
//	go run ./examples/internal/gensample
package main

import (
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/inkml"
)

// The values written on the form: a patient number and a valid DDMMYY date.
const (
	patientNo = "407215"
	visitDate = "140326"
	address   = "70.3.12.5"
	penID     = "AJX-AAB-7KH-6P"
)

func main() {
	archive := flag.String("data", "../shared/data/unipen-1a1b-dev.tgz", "UNIPEN archive")
	writer := flag.String("writer", "apb/apb22/app2234.dat", "UNIPEN 1a file (under data/1a/) whose digits to use")
	examples := flag.String("examples", "examples", "directory for the example files")
	testdata := flag.String("testdata", "inkml/testdata", "directory for the benchmark document")
	flag.Parse()
	log.SetFlags(0)

	glyphs, err := loadDigits(*archive, *writer)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range patientNo + visitDate {
		if _, ok := glyphs[string(c)]; !ok {
			log.Fatalf("%s has no usable digit %c (it has %v); choose another -writer", *writer, c, sortedKeys(glyphs))
		}
	}
	strokes := fillForm(glyphs)

	files := []struct {
		path string
		data []byte
	}{
		{filepath.Join(*examples, "wound-check.inkml"), inkML(strokes, penID, "")},
		{filepath.Join(*examples, "wound-check.json-ink.json"), jsonInk(strokes)},
		{filepath.Join(*testdata, "wound-check-57k.inkml"), inkML(strokes, penID, "bench-0001")},
	}
	for _, f := range files {
		if err := check(f.data, filepath.Ext(f.path) == ".json", len(strokes)); err != nil {
			log.Fatalf("%s: %v", f.path, err)
		}
		if err := os.WriteFile(f.path, f.data, 0o644); err != nil {
			log.Fatal(err)
		}
		n := 0
		for _, s := range strokes {
			n += len(s)
		}
		fmt.Printf("%s: %d bytes, %d traces, %d points\n", f.path, len(f.data), len(strokes), n)
	}
}

// sample is one pen sample: millimetres on the page (y down), milliseconds
// from the first sample, force 0–255.
type sample struct {
	x, y float64
	t    int64
	f    float64
}

// pen turns paths into timed samples at the 75 Hz of an Anoto pen.
type pen struct {
	t   float64 // time of the next sample, ms
	rng *rand.Rand
}

const sampleMS = 1000.0 / 75

// stroke resamples a path (mm) at the pen's rate for a writing speed in
// mm/s, with a force profile that rises and falls like a real pen's.
func (p *pen) stroke(path []xy, speed float64) []sample {
	step := speed / 75
	pts := resample(path, step)
	out := make([]sample, len(pts))
	base := 150 + 40*p.rng.Float64()
	for i, q := range pts {
		u := float64(i) / float64(max(1, len(pts)-1))
		ramp := min(1, 4*u, 4*(1-u)+0.15)
		f := base*ramp + 12*math.Sin(float64(i)/5) + 4*p.rng.NormFloat64()
		out[i] = sample{x: q.x, y: q.y, t: int64(math.Round(p.t)), f: math.Round(max(8, min(255, f)))}
		p.t += sampleMS
	}
	return out
}

// pause lets time pass between strokes.
func (p *pen) pause(minMS, maxMS float64) {
	p.t += minMS + (maxMS-minMS)*p.rng.Float64()
}

// resample returns points spaced step apart along path, ends included.
func resample(path []xy, step float64) []xy {
	out := []xy{path[0]}
	carry := 0.0
	for i := 1; i < len(path); i++ {
		a, b := path[i-1], path[i]
		d := math.Hypot(b.x-a.x, b.y-a.y)
		for carry+step <= d {
			carry += step
			u := carry / d
			out = append(out, xy{a.x + u*(b.x-a.x), a.y + u*(b.y-a.y)})
		}
		carry -= d
	}
	if last := path[len(path)-1]; out[len(out)-1] != last {
		out = append(out, last)
	}
	return out
}

// fillForm writes the form's fields in the order a nurse would.
func fillForm(glyphs map[string]glyph) [][]sample {
	p := &pen{rng: rand.New(rand.NewPCG(1, 2))}
	var all [][]sample
	comb := func(text string, box inkform.Box) {
		for i, c := range text {
			for _, path := range place(glyphs[string(c)], box.Cell(i, len(text))) {
				all = append(all, p.stroke(path, 11))
				p.pause(120, 260)
			}
			p.pause(150, 350)
		}
		p.pause(1200, 2500)
	}
	comb(patientNo, inkform.Box{X: 20, Y: 30, W: 60, H: 10})
	comb(visitDate, inkform.Box{X: 100, Y: 30, W: 60, H: 10})
	for _, box := range []inkform.Box{{X: 20, Y: 50, W: 6, H: 6}, {X: 40, Y: 60, W: 6, H: 6}} {
		all = append(all, p.stroke(tick(box, p.rng), 40))
		p.pause(1500, 3000)
	}
	for _, path := range signature(inkform.Box{X: 20, Y: 250, W: 80, H: 20}, p.rng) {
		all = append(all, p.stroke(path, 34))
		p.pause(60, 180)
	}
	return all
}

// place scales a glyph into a comb cell: y flipped (UNIPEN's y grows
// upwards), the larger side fitted with a margin, centred.
func place(g glyph, cell inkform.Box) [][]xy {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, s := range g.strokes {
		for _, q := range s {
			minX, maxX = min(minX, q.x), max(maxX, q.x)
			minY, maxY = min(minY, q.y), max(maxY, q.y)
		}
	}
	w, h := max(maxX-minX, 1e-9), max(maxY-minY, 1e-9)
	scale := min(0.7*cell.H/h, 0.75*cell.W/w)
	ox := cell.X + (cell.W-w*scale)/2
	oy := cell.Y + (cell.H-h*scale)/2
	out := make([][]xy, len(g.strokes))
	for i, s := range g.strokes {
		for _, q := range s {
			out[i] = append(out[i], xy{ox + (q.x-minX)*scale, oy + (maxY-q.y)*scale})
		}
	}
	return out
}

// tick is a check mark across a box, overshooting it a little as people do.
func tick(b inkform.Box, rng *rand.Rand) []xy {
	j := func() float64 { return 0.3 * (rng.Float64() - 0.5) }
	return []xy{
		{b.X + 0.15*b.W + j(), b.Y + 0.5*b.H + j()},
		{b.X + 0.35*b.W + j(), b.Y + 0.78*b.H + j()},
		{b.X + 0.45*b.W + j(), b.Y + 0.9*b.H + j()},
		{b.X + 0.7*b.W + j(), b.Y + 0.35*b.H + j()},
		{b.X + 1.05*b.W + j(), b.Y - 0.1*b.H + j()},
	}
}

// signature is a scrawl: runs of looping "letters" separated by pen lifts,
// a few dots and bars, and an underline.
func signature(b inkform.Box, rng *rand.Rand) [][]xy {
	var out, marks [][]xy
	x := b.X + 2
	base := b.Y + 0.62*b.H
	for i, loops := range []int{2, 1, 2, 1, 1, 2, 1, 1, 2, 1, 1, 1, 2, 1} {
		var path []xy
		r := 1.1 + 0.5*rng.Float64()
		h := 3 + 2.5*rng.Float64()
		if i == 0 || i == 5 {
			h = 9 // capitals
		}
		right := x
		for u := 0.0; u <= float64(loops)*2*math.Pi; u += 0.07 {
			// A prolate cycloid: loops like a cursive l, slanted forwards.
			y := base - h*(1-math.Cos(u))/2 + 0.15*rng.NormFloat64()
			q := xy{x + 0.6*u - r*math.Sin(u) + 0.3*(base-y), y}
			path = append(path, q)
			right = max(right, q.x)
		}
		out = append(out, path)
		if i%3 != 2 && len(marks) < 8 {
			// An i-dot or a t-bar over the run.
			mx, my := (x+right)/2, base-h-1.5-rng.Float64()
			marks = append(marks, []xy{{mx - 0.6, my + 0.2}, {mx, my}, {mx + 0.2 + 0.8*rng.Float64(), my - 0.1}})
		}
		x = right + 1 + 1.2*rng.Float64()
		if i == 4 {
			x += 3 // between first name and surname
		}
	}
	out = append(out, marks...)
	var line []xy
	for u := 0.0; u <= 1; u += 0.02 {
		line = append(line, xy{b.X + 1 + (x-b.X)*u, b.Y + 0.85*b.H - 1.5*math.Sin(math.Pi*u)})
	}
	out = append(out, line)
	// Squeeze the whole signature into the box if it came out wider.
	if f := (b.W - 2) / (x - b.X); f < 1 {
		for _, path := range out {
			for i := range path {
				path[i].x = b.X + 1 + (path[i].x-b.X-1)*f
			}
		}
	}
	return out
}

// check parses a written document and verifies the ink lands on the form.
func check(data []byte, isJSON bool, traces int) error {
	parse := inkml.Parse
	if isJSON {
		parse = inkml.ParseJSON
	}
	sub, err := parse(data, inkml.DefaultLimits())
	if err != nil {
		return err
	}
	if len(sub.Pages) != 1 || sub.Pages[0].Address != address || len(sub.Pages[0].Strokes) != traces {
		return fmt.Errorf("read back %d pages, want one page %s with %d strokes", len(sub.Pages), address, traces)
	}
	page := inkform.Box{W: 210, H: 297}
	for _, s := range sub.Pages[0].Strokes {
		for _, q := range s.Points {
			if !page.Contains(q.X, q.Y) {
				return fmt.Errorf("point (%g, %g) mm is off the page", q.X, q.Y)
			}
		}
	}
	return nil
}
