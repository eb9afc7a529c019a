package ink_test

import (
	"encoding/binary"

	"github.com/inkform/inkform"
)

// The constants of version 1 of the storage encoding.
const (
	refCodecVersion = 1
	refXyScale      = 100
	refForceScale   = 1000
	refMaxQuantum   = 1 << 50
)

// refEncode is Encode as it was at commit a5fce57, the reference that
// TestEncodeMatchesReference and FuzzEncode compare with. It returns the storage encoding of pages. It never fails: values that
// are not finite are stored as 0, and values out of range are clamped.
func refEncode(pages []inkform.PageInk) []byte {
	n := 1 + binary.MaxVarintLen64
	for i := range pages {
		n += 2*binary.MaxVarintLen64 + len(pages[i].Address) + len(pages[i].Strokes)*binary.MaxVarintLen64 + pages[i].Points()*6
	}
	buf := make([]byte, 0, n)
	buf = append(buf, refCodecVersion)
	buf = binary.AppendUvarint(buf, uint64(len(pages)))
	for i := range pages {
		pg := &pages[i]
		buf = binary.AppendUvarint(buf, uint64(len(pg.Address)))
		buf = append(buf, pg.Address...)
		k := refForceStep(pg)
		buf = append(buf, byte(k))
		buf = binary.AppendUvarint(buf, uint64(len(pg.Strokes)))
		var px, py, pt, pf int64
		for j := range pg.Strokes {
			pts := pg.Strokes[j].Points
			buf = binary.AppendUvarint(buf, uint64(len(pts)))
			for _, p := range pts {
				x, y, t, f := refQuantise(p.X, refXyScale), refQuantise(p.Y, refXyScale), refClamp(p.T), refInSteps(refQuantise(p.F, refForceScale), k)
				buf = binary.AppendVarint(buf, x-px)
				buf = binary.AppendVarint(buf, y-py)
				buf = binary.AppendVarint(buf, t-pt)
				buf = binary.AppendVarint(buf, f-pf)
				px, py, pt, pf = x, y, t, f
			}
		}
	}
	return buf
}

// refForceStep returns the largest k such that every force of the page,
// quantised to 0.001, is a multiple of 10^k.
func refForceStep(pg *inkform.PageInk) int {
	k := 3
	for i := range pg.Strokes {
		for _, p := range pg.Strokes[i].Points {
			for f := refQuantise(p.F, refForceScale); k > 0 && !refMultipleOf(f, k); {
				k--
			}
			if k == 0 {
				return 0
			}
		}
	}
	return k
}

// refMultipleOf reports whether f is a multiple of 10^k; constant divisors
// compile to multiplications, a variable one to a slow division.
func refMultipleOf(f int64, k int) bool {
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

// refInSteps divides f, a multiple of 10^k, by 10^k, with constant divisors
// for the reason refMultipleOf gives.
func refInSteps(f int64, k int) int64 {
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

// refQuantise rounds v*scale half away from zero to an integer, clamped to
// ±refMaxQuantum; NaN becomes 0. Adding 0.5 and truncating is exact below
// 2^52 and several times cheaper than math.Round.
func refQuantise(v, scale float64) int64 {
	x := v * scale
	switch {
	case x != x:
		return 0
	case x >= refMaxQuantum:
		return refMaxQuantum
	case x <= -refMaxQuantum:
		return -refMaxQuantum
	case x >= 0:
		return int64(x + 0.5)
	}
	return int64(x - 0.5)
}

func refClamp(v int64) int64 {
	return max(-refMaxQuantum, min(refMaxQuantum, v))
}
