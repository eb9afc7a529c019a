package ink_test

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/ink"
	"github.com/inkform/inkform/inkml"
)

func randomPages(rng *rand.Rand, pages, strokes, points int) []inkform.PageInk {
	out := make([]inkform.PageInk, pages)
	t := int64(1_774_000_000_000)
	for i := range out {
		out[i].Address = "70.3.12." + string(rune('0'+i))
		for range strokes {
			s := inkform.Stroke{Points: make([]inkform.Point, 1+rng.IntN(points))}
			x, y := rng.Float64()*210, rng.Float64()*297
			for k := range s.Points {
				x += rng.NormFloat64() * 0.4
				y += rng.NormFloat64() * 0.4
				t += 13 + rng.Int64N(2)
				s.Points[k] = inkform.Point{X: x, Y: y, T: t, F: rng.Float64() * 255}
			}
			out[i].Strokes = append(out[i].Strokes, s)
		}
	}
	return out
}

// assertClose checks that got equals want within the quantisation steps.
func assertClose(t *testing.T, got, want []inkform.PageInk) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d pages, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Address != want[i].Address || len(got[i].Strokes) != len(want[i].Strokes) {
			t.Fatalf("page %d: %q with %d strokes, want %q with %d", i, got[i].Address, len(got[i].Strokes), want[i].Address, len(want[i].Strokes))
		}
		for j := range want[i].Strokes {
			g, w := got[i].Strokes[j].Points, want[i].Strokes[j].Points
			if len(g) != len(w) {
				t.Fatalf("page %d stroke %d: %d points, want %d", i, j, len(g), len(w))
			}
			for k := range w {
				if math.Abs(g[k].X-w[k].X) > 0.005+1e-9 || math.Abs(g[k].Y-w[k].Y) > 0.005+1e-9 ||
					g[k].T != w[k].T || math.Abs(g[k].F-w[k].F) > 0.0005+1e-9 {
					t.Fatalf("page %d stroke %d point %d: %+v, want %+v", i, j, k, g[k], w[k])
				}
			}
		}
	}
}

func TestCodecRoundTrip(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	tests := []struct {
		name  string
		pages []inkform.PageInk
	}{
		{"none", nil},
		{"empty page", []inkform.PageInk{{Address: "1.2.3.4"}}},
		{"one point", []inkform.PageInk{{Address: "", Strokes: []inkform.Stroke{{Points: []inkform.Point{{X: 1.234, Y: -5.678, T: -3, F: 0.1234}}}}}}},
		{"empty stroke", []inkform.PageInk{{Address: "1.2.3.4", Strokes: []inkform.Stroke{{}, {Points: []inkform.Point{{X: 1}}}}}}},
		{"random", randomPages(rng, 3, 20, 200)},
		{"extremes", []inkform.PageInk{{Address: "9.9.9.9", Strokes: []inkform.Stroke{{Points: []inkform.Point{
			{X: 1e6, Y: -1e6, T: 1 << 45, F: 1e9}, {X: -1e6, Y: 1e6, T: -(1 << 45), F: -1e9}}}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ink.Decode(ink.Encode(tt.pages), 1_000_000)
			if err != nil {
				t.Fatal(err)
			}
			assertClose(t, got, tt.pages)
		})
	}
}

// TestCodecForceStep checks that forces in whole numbers or tenths cost less
// than forces with thousandths, and all come back exactly.
func TestCodecForceStep(t *testing.T) {
	t.Parallel()
	size := map[string]int{}
	for name, force := range map[string]func(i int) float64{
		"whole":       func(i int) float64 { return float64(100 + i%37*5) },
		"tenths":      func(i int) float64 { return float64(1000+i%37*5) / 10 },
		"thousandths": func(i int) float64 { return float64(100000+i%37*5) / 1000 },
	} {
		s := inkform.Stroke{Points: make([]inkform.Point, 500)}
		for i := range s.Points {
			s.Points[i] = inkform.Point{X: float64(i) / 10, Y: 5, T: int64(13 * i), F: force(i)}
		}
		in := []inkform.PageInk{{Address: "1.2.3.4", Strokes: []inkform.Stroke{s}}}
		enc := ink.Encode(in)
		got, err := ink.Decode(enc, 500)
		if err != nil {
			t.Fatal(err)
		}
		assertClose(t, got, in)
		size[name] = len(enc)
	}
	if size["whole"] >= size["thousandths"] || size["tenths"] >= size["thousandths"] {
		t.Errorf("encoded sizes %v: a coarser force step should be smaller", size)
	}
}

// TestCodecClamps checks what Encode does with values it cannot store.
func TestCodecClamps(t *testing.T) {
	t.Parallel()
	in := []inkform.PageInk{{Strokes: []inkform.Stroke{{Points: []inkform.Point{
		{X: math.NaN(), Y: math.Inf(1), T: math.MaxInt64, F: math.Inf(-1)}}}}}}
	got, err := ink.Decode(ink.Encode(in), 10)
	if err != nil {
		t.Fatal(err)
	}
	p := got[0].Strokes[0].Points[0]
	if p.X != 0 || p.Y != float64(1<<50)/100 || p.T != 1<<50 || p.F != -float64(1<<50)/1000 {
		t.Errorf("clamped point = %+v", p)
	}
}

func TestDecodeRefuses(t *testing.T) {
	t.Parallel()
	valid := ink.Encode(randomPages(rand.New(rand.NewPCG(5, 6)), 1, 2, 10))
	tests := []struct {
		name string
		data []byte
		max  int
		code string
		msg  string
	}{
		{"empty", nil, 100, inkform.EINVALID, "unknown version"},
		{"version", []byte{2, 0}, 100, inkform.EINVALID, "unknown version"},
		{"truncated", valid[:len(valid)-1], 100, inkform.EINVALID, "truncated"},
		{"trailing", append(bytes.Clone(valid), 0), 100, inkform.EINVALID, "trailing bytes"},
		{"huge page count", []byte{1, 0xff, 0xff, 0xff, 0xff, 0x0f}, 100, inkform.EINVALID, "larger than the data"},
		{"huge point count", []byte{1, 1, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0, 0, 0}, 1 << 40, inkform.EINVALID, "larger than the data"},
		{"force step", []byte{1, 1, 0, 4, 0}, 100, inkform.EINVALID, "bad force step"},
		{"over max points", valid, 3, inkform.ETOOLARGE, "more than 3 points"},
		{"value out of range", []byte{1, 1, 0, 0, 1, 1, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0, 0, 0}, 10, inkform.EINVALID, "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ink.Decode(tt.data, tt.max)
			if inkform.ErrorCode(err) != tt.code || !strings.Contains(inkform.ErrorMessage(err), tt.msg) {
				t.Errorf("err = %v, want %s containing %q", err, tt.code, tt.msg)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(ink.Encode(randomPages(rand.New(rand.NewPCG(1, 1)), 2, 3, 5)), 100)
	f.Add([]byte{1, 1, 0, 2, 1, 2, 0, 0, 0, 0, 1, 1, 1, 1}, 2)
	f.Fuzz(func(t *testing.T, data []byte, maxPoints int) {
		pages, err := ink.Decode(data, maxPoints)
		if err != nil {
			if c := inkform.ErrorCode(err); c != inkform.EINVALID && c != inkform.ETOOLARGE {
				t.Fatalf("error %v is not EINVALID or ETOOLARGE", err)
			}
			return
		}
		n := 0
		for i := range pages {
			n += pages[i].Points()
		}
		if n > max(maxPoints, 0) {
			t.Fatalf("%d points decoded, limit %d", n, maxPoints)
		}
		// Decoded ink is on the quantisation grid: it survives another
		// round trip unchanged.
		again, err := ink.Decode(ink.Encode(pages), n)
		if err != nil {
			t.Fatal(err)
		}
		assertClose(t, again, pages)
	})
}

// loadExample returns the page of the 57 KB benchmark document of inkml.
func loadExample(tb testing.TB) []inkform.PageInk {
	tb.Helper()
	data, err := os.ReadFile("../inkml/testdata/wound-check-57k.inkml")
	if err != nil {
		tb.Fatal(err)
	}
	sub, err := inkml.Parse(data, inkml.DefaultLimits())
	if err != nil {
		tb.Fatal(err)
	}
	return sub.Pages
}

// BenchmarkEncode reports the encoding's size per point and the time to
// encode one page of 2,397 points (ns/op).
func BenchmarkEncode(b *testing.B) {
	pages := loadExample(b)
	points := pages[0].Points()
	var enc []byte
	b.ReportAllocs()
	for b.Loop() {
		enc = ink.Encode(pages)
	}
	b.ReportMetric(float64(len(enc))/float64(points), "bytes/point")
	b.ReportMetric(float64(len(enc)), "bytes/page")
}

// BenchmarkDecode is the time to decode that page.
func BenchmarkDecode(b *testing.B) {
	enc := ink.Encode(loadExample(b))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ink.Decode(enc, 1_000_000); err != nil {
			b.Fatal(err)
		}
	}
}
