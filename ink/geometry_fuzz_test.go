package ink

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/inkform/inkform"
)

// FuzzGeometry feeds arbitrary points (any float64 bits: NaN, ±Inf, huge)
// to the measures and checks they stay within their ranges, agree with each
// other and finish.
//
//	go test ./ink -run '^$' -fuzz FuzzGeometry -fuzztime 60s
func FuzzGeometry(f *testing.F) {
	f.Add([]byte{}, 1.0, 6.0)
	f.Add(make([]byte, 32), 0.5, 6.0)
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0xf8, 0x7f, 0, 0, 0, 0, 0, 0, 0x24, 0x40, 0, 0, 0, 0, 0, 0, 0x2e, 0x40, 0, 0, 0, 0, 0, 0, 0x2e, 0x40}, 1.0, 1e-320)
	// Two inputs the fuzzer found: a segment too long to measure, and
	// coordinates of 1e15 mm whose clipping rounds.
	f.Add([]byte("0000000X0000000x0000000000000000"), 32.0, 6.0)
	f.Add([]byte("000000$C00000000000000 0000000$@"), -12.0, 6.0)
	f.Fuzz(func(t *testing.T, data []byte, width, side float64) {
		// Any box up to 50 mm, slivers included.
		box := inkform.Box{X: 10, Y: 10, W: math.Mod(math.Abs(side), 50), H: 6}
		var s inkform.Stroke
		for len(data) >= 16 {
			x := math.Float64frombits(binary.LittleEndian.Uint64(data))
			y := math.Float64frombits(binary.LittleEndian.Uint64(data[8:]))
			s.Points = append(s.Points, inkform.Point{X: x, Y: y})
			data = data[16:]
		}
		strokes := []inkform.Stroke{s}
		l, in := Length(&s), LengthInside(&s, box)
		if math.IsNaN(l) || math.IsNaN(in) || in > l*(1+1e-9)+1e-9 {
			t.Fatalf("length %v, inside %v", l, in)
		}
		if sh := ShareInside(&s, box); !(sh >= 0 && sh <= 1) {
			t.Fatalf("share %v", sh)
		}
		if c := Coverage(strokes, box, math.Mod(math.Abs(width), 5)); !(c >= 0 && c <= 1) {
			t.Fatalf("coverage %v", c)
		}
		if r := Reversals(strokes, 0.5); r < 0 || r > len(s.Points) {
			t.Fatalf("reversals %d for %d points", r, len(s.Points))
		}
		// Clipping works in the coordinates, LengthInside in parameters of
		// the segment, so they may differ by rounding in proportion to the
		// segment's length (which the fuzzer makes as absurd as 1e15 mm).
		clipped := TotalLength(Clip(&s, box))
		if math.Abs(clipped-in) > 1e-9*max(1, l) {
			t.Fatalf("clipped length %v, LengthInside %v", clipped, in)
		}
	})
}
