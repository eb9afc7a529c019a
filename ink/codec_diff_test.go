package ink_test

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/ink"
)

// assertSameEncoding checks that Encode writes exactly the bytes refEncode
// writes, and that they decode.
func assertSameEncoding(t *testing.T, pages []inkform.PageInk) {
	t.Helper()
	got, want := ink.Encode(pages), refEncode(pages)
	if !bytes.Equal(got, want) {
		t.Fatalf("Encode = %x\nreference %x", got, want)
	}
	n := 0
	for i := range pages {
		n += pages[i].Points()
	}
	if _, err := ink.Decode(got, n); err != nil {
		t.Fatalf("decode: %v", err)
	}
}

// specialValues are the values where quantising is most likely to go wrong:
// halves, signed zeros, the clamp bounds, the float limits and NaN.
var specialValues = []float64{0, math.Copysign(0, -1), 0.005, -0.005, 0.0049999999999999, 0.015, 0.0005, -0.0005,
	0.1234, 254.5, 1e6, -1e6, 1e9, -1e9, 1 << 50, -(1 << 50), 1<<50 - 0.25, 1 << 52, 1 << 53, -(1 << 60),
	math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, math.Inf(1), math.Inf(-1), math.NaN()}

func TestEncodeMatchesReference(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(9, 10))
	tests := []struct {
		name  string
		pages []inkform.PageInk
	}{
		{"none", nil},
		{"empty page", []inkform.PageInk{{Address: "1.2.3.4"}}},
		{"empty stroke", []inkform.PageInk{{Address: "1.2.3.4", Strokes: []inkform.Stroke{{}, {Points: []inkform.Point{{X: 1}}}}}}},
		{"random", randomPages(rng, 3, 20, 200)},
		{"example", loadExample(t)},
	}
	// Forces in every step, and one page whose step changes on its
	// last point.
	for k, unit := range []float64{1000, 100, 10, 1} {
		pg := randomPages(rng, 1, 5, 50)
		for j := range pg[0].Strokes {
			for i := range pg[0].Strokes[j].Points {
				pg[0].Strokes[j].Points[i].F = float64(rng.IntN(1024)) * unit / 1000
			}
		}
		tests = append(tests, struct {
			name  string
			pages []inkform.PageInk
		}{"force step " + string(rune('3'-k)), pg})
	}
	late := randomPages(rng, 2, 3, 30)
	for i := range late {
		for j := range late[i].Strokes {
			for k := range late[i].Strokes[j].Points {
				late[i].Strokes[j].Points[k].F = float64(k % 256)
			}
		}
	}
	late[0].Strokes[2].Points[len(late[0].Strokes[2].Points)-1].F = 0.5
	tests = append(tests, struct {
		name  string
		pages []inkform.PageInk
	}{"step changes at the end", late})
	var special []inkform.Point
	for _, a := range specialValues {
		for _, b := range specialValues {
			special = append(special, inkform.Point{X: a, Y: b, T: int64(a), F: b}, inkform.Point{X: b, Y: a, T: math.MinInt64, F: a})
		}
	}
	tests = append(tests, struct {
		name  string
		pages []inkform.PageInk
	}{"special values", []inkform.PageInk{{Address: "9.9.9.9", Strokes: []inkform.Stroke{{Points: special}}}}})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertSameEncoding(t, tt.pages)
		})
	}
}

// FuzzEncode compares Encode with refEncode on pages made from the fuzzer's
// bytes: each 32 bytes are a point, read as X, Y, T and F (or, when bit 2
// of T is set, as values in a pen's ranges); a point whose T has its low bit
// set starts a stroke, and one with its two low bits set a page.
func FuzzEncode(f *testing.F) {
	seed := func(pts ...float64) []byte {
		var b []byte
		for _, v := range pts {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
		return b
	}
	f.Add(seed(1, 2, 3, 4, 5.5, 6.25, 7, 8.125))
	f.Add(seed(0.005, -0.005, math.Float64frombits(3), 0.0005, math.NaN(), math.Inf(1), 1, 1<<60))
	f.Fuzz(func(t *testing.T, data []byte) {
		var pages []inkform.PageInk
		for ; len(data) >= 32; data = data[32:] {
			u := func(i int) uint64 { return binary.LittleEndian.Uint64(data[8*i:]) }
			p := inkform.Point{X: math.Float64frombits(u(0)), Y: math.Float64frombits(u(1)), T: int64(u(2)), F: math.Float64frombits(u(3))}
			if p.T&4 == 4 {
				// Values in the ranges pens send, in eighths and in
				// steps of force from 0.001 to 1, rather than the huge
				// numbers most bit patterns are.
				p.X, p.Y = float64(int32(u(0)))/8, float64(int32(u(1)))/1000
				p.F = float64(int16(u(3))) / [...]float64{1, 10, 100, 1000}[u(3)>>16&3]
			}
			if len(pages) == 0 || p.T&3 == 3 {
				pages = append(pages, inkform.PageInk{Address: "1.2.3.4"})
			}
			pg := &pages[len(pages)-1]
			if len(pg.Strokes) == 0 || p.T&1 == 1 {
				pg.Strokes = append(pg.Strokes, inkform.Stroke{})
			}
			s := &pg.Strokes[len(pg.Strokes)-1]
			s.Points = append(s.Points, p)
		}
		assertSameEncoding(t, pages)
	})
}
