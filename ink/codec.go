package ink

import (
	"encoding/binary"

	"github.com/inkform/inkform"
)

// Storage encoding of ink (version 1):
//
//	version byte (1)
//	uvarint number of pages
//	per page:   uvarint address length, address bytes, force step byte k,
//	            uvarint number of strokes
//	per stroke: uvarint number of points
//	per point:  zigzag varints of the differences of X, Y, T and F
//
// Values are quantised before taking differences: X and Y to 0.01 mm (well
// below the ~0.04 mm resolution of an Anoto pen), T to 1 ms and F to 0.001
// of its unit. Each difference is taken from the previous point of the page,
// so the first point of a stroke is relative to the last point of the stroke
// before it, which is usually close; the first point of a page is relative
// to zero.
//
// Pens send force as integers (0–255 or 0–1023), whose differences would
// cost three bytes each at 0.001, so each page stores force in steps of 10^k
// thousandths, k (0–3) the largest step that loses nothing.
//
// Quantised values are clamped to ±2^50 (a Unix time in ms is below 2^41),
// small enough that a decoded value quantises back to the same integer.
const (
	codecVersion = 1
	xyScale      = 100  // units per millimetre
	forceScale   = 1000 // units per unit of force
	maxQuantum   = 1 << 50
	// minPointBytes is the smallest encoding of a point: four one-byte
	// varints. Decode uses it to refuse counts the data cannot hold before
	// allocating for them.
	minPointBytes = 4
)

// Encode returns the storage encoding of pages. It never fails: values that
// are not finite are stored as 0, and values out of range are clamped.
func Encode(pages []inkform.PageInk) []byte {
	n := 1 + binary.MaxVarintLen64
	for i := range pages {
		// Five bytes a point is more than pen strokes need (about four);
		// append grows the buffer for the rare page that needs more.
		n += 2*binary.MaxVarintLen64 + len(pages[i].Address) + len(pages[i].Strokes)*binary.MaxVarintLen64 + pages[i].Points()*5
	}
	buf := make([]byte, 0, n)
	buf = append(buf, codecVersion)
	buf = binary.AppendUvarint(buf, uint64(len(pages)))
	for i := range pages {
		pg := &pages[i]
		buf = binary.AppendUvarint(buf, uint64(len(pg.Address)))
		buf = append(buf, pg.Address...)
		// Pens send whole forces, which take the largest step: encode
		// with it, and only when a force is not a multiple of it find
		// the step and encode the page again. That saves a pass over the
		// points for the common page.
		start := len(buf)
		var ok bool
		if buf, ok = appendPage(buf, pg, 3); !ok {
			buf, _ = appendPage(buf[:start], pg, forceStep(pg))
		}
	}
	return buf
}

// appendPage appends the force step k, the strokes and their points of pg;
// ok is false, and buf unfinished, when a force is not a multiple of 10^k
// thousandths.
func appendPage(buf []byte, pg *inkform.PageInk, k int) (_ []byte, ok bool) {
	buf = append(buf, byte(k))
	buf = binary.AppendUvarint(buf, uint64(len(pg.Strokes)))
	step := pow10[k]
	var px, py, pt, pf int64
	for j := range pg.Strokes {
		pts := pg.Strokes[j].Points
		buf = binary.AppendUvarint(buf, uint64(len(pts)))
		for i := range pts {
			p := &pts[i]
			x, y, t, fq := quantise(p.X, xyScale), quantise(p.Y, xyScale), clamp(p.T), quantise(p.F, forceScale)
			f := inSteps(fq, k)
			if f*step != fq {
				return buf, false
			}
			buf = appendZigzag(buf, x-px)
			buf = appendZigzag(buf, y-py)
			buf = appendZigzag(buf, t-pt)
			buf = appendZigzag(buf, f-pf)
			px, py, pt, pf = x, y, t, f
		}
	}
	return buf, true
}

// appendZigzag appends what binary.AppendVarint appends; most differences
// take one byte, which is written without the general loop.
func appendZigzag(buf []byte, v int64) []byte {
	u := uint64(v<<1) ^ uint64(v>>63)
	if u < 0x80 {
		return append(buf, byte(u))
	}
	return binary.AppendUvarint(buf, u)
}

var pow10 = [...]int64{1, 10, 100, 1000}

// forceStep returns the largest k such that every force of the page,
// quantised to 0.001, is a multiple of 10^k.
func forceStep(pg *inkform.PageInk) int {
	k := 3
	for i := range pg.Strokes {
		for _, p := range pg.Strokes[i].Points {
			for f := quantise(p.F, forceScale); k > 0 && !multipleOf(f, k); {
				k--
			}
			if k == 0 {
				return 0
			}
		}
	}
	return k
}

// multipleOf reports whether f is a multiple of 10^k; constant divisors
// compile to multiplications, a variable one to a slow division.
func multipleOf(f int64, k int) bool {
	switch k {
	case 3:
		return f%1000 == 0
	case 2:
		return f%100 == 0
	case 1:
		return f%10 == 0
	}
	return true
}

// inSteps divides f, a multiple of 10^k, by 10^k, with constant divisors
// for the reason multipleOf gives.
func inSteps(f int64, k int) int64 {
	switch k {
	case 3:
		return f / 1000
	case 2:
		return f / 100
	case 1:
		return f / 10
	}
	return f
}

// quantise rounds v*scale half away from zero to an integer, clamped to
// ±maxQuantum; NaN becomes 0. Adding 0.5 and truncating is exact below
// 2^52 and several times cheaper than math.Round.
func quantise(v, scale float64) int64 {
	x := v * scale
	switch {
	case x != x:
		return 0
	case x >= maxQuantum:
		return maxQuantum
	case x <= -maxQuantum:
		return -maxQuantum
	case x >= 0:
		return int64(x + 0.5)
	}
	return int64(x - 0.5)
}

func clamp(v int64) int64 {
	return max(-maxQuantum, min(maxQuantum, v))
}

// Decode reads the storage encoding. Data that is truncated, has trailing
// bytes, an unknown version or values out of range is refused with EINVALID;
// more than maxPoints points with ETOOLARGE. It never allocates for more
// points than maxPoints, nor for more than the data could hold.
func Decode(data []byte, maxPoints int) ([]inkform.PageInk, error) {
	d := decoder{data: data}
	if len(data) == 0 || data[0] != codecVersion {
		return nil, corrupt("unknown version")
	}
	d.pos = 1
	nPages, err := d.count(3, "pages")
	if err != nil {
		return nil, err
	}
	pages := make([]inkform.PageInk, nPages)
	total := 0
	for i := range pages {
		alen, err := d.count(1, "address bytes")
		if err != nil {
			return nil, err
		}
		pages[i].Address = string(d.data[d.pos : d.pos+alen])
		d.pos += alen
		if d.pos == len(d.data) || d.data[d.pos] >= byte(len(pow10)) {
			return nil, corrupt("bad force step")
		}
		step := pow10[d.data[d.pos]]
		d.pos++
		nStrokes, err := d.count(1, "strokes")
		if err != nil {
			return nil, err
		}
		strokes := make([]inkform.Stroke, nStrokes)
		var x, y, t, f int64
		for j := range strokes {
			n, err := d.count(minPointBytes, "points")
			if err != nil {
				return nil, err
			}
			if n > maxPoints-total {
				return nil, inkform.Errorf(inkform.ETOOLARGE, "stored ink has more than %d points", maxPoints)
			}
			total += n
			pts := make([]inkform.Point, n)
			for k := range pts {
				var dv [4]int64
				for c := range dv {
					if dv[c], err = d.varint(); err != nil {
						return nil, err
					}
				}
				x, y, t, f = x+dv[0], y+dv[1], t+dv[2], f+dv[3]
				if out(x) || out(y) || out(t) || out(f) || out(f*step) {
					return nil, corrupt("value out of range")
				}
				pts[k] = inkform.Point{X: float64(x) / xyScale, Y: float64(y) / xyScale, T: t, F: float64(f*step) / forceScale}
			}
			strokes[j].Points = pts
		}
		pages[i].Strokes = strokes
	}
	if d.pos != len(d.data) {
		return nil, corrupt("trailing bytes")
	}
	return pages, nil
}

func out(v int64) bool { return v < -maxQuantum || v > maxQuantum }

func corrupt(what string) *inkform.Error {
	return inkform.Errorf(inkform.EINVALID, "stored ink is corrupt: %s", what)
}

type decoder struct {
	data []byte
	pos  int
}

// count reads a count of items that take at least size bytes each and
// refuses one the rest of the data cannot hold.
func (d *decoder) count(size int, what string) (int, error) {
	v, n := binary.Uvarint(d.data[d.pos:])
	if n <= 0 {
		return 0, corrupt("truncated count of " + what)
	}
	d.pos += n
	if v > uint64(len(d.data)-d.pos)/uint64(size) {
		return 0, corrupt("count of " + what + " larger than the data")
	}
	return int(v), nil
}

func (d *decoder) varint() (int64, error) {
	// Most differences fit one byte; decode those without the general
	// loop.
	if d.pos < len(d.data) {
		if b := d.data[d.pos]; b < 0x80 {
			d.pos++
			return int64(b>>1) ^ -int64(b&1), nil
		}
	}
	v, n := binary.Varint(d.data[d.pos:])
	if n <= 0 {
		return 0, corrupt("truncated point")
	}
	d.pos += n
	return v, nil
}
