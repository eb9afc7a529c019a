package inkml

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// diffFormats are the trace formats the differential tests scan with: the
// default, a pen's X Y T F, and intermittent T and F.
var diffFormats = []*traceFormat{
	defaultFormat(),
	{regular: 4, total: 4, ix: 0, iy: 1, it: 2, iff: 3, scaleX: AnotoUnitMM, scaleY: AnotoUnitMM, scaleT: 1},
	{regular: 2, total: 4, ix: 1, iy: 0, it: 2, iff: 3, scaleX: 25.4, scaleY: 1, scaleT: 1000},
}

// diffTails are what may follow trace text within its capacity: the
// scanners read up to eight bytes past the end and must not count them.
var diffTails = []string{"", "</trace>", "12345678.9", ".5 6,7", "\xff\xfa\xfb00000"}

// assertSameScan checks that scanTrace gives bit for bit what refScanTrace
// gives for body followed by each of diffTails, and the same error.
func assertSameScan(t *testing.T, body []byte, tf *traceFormat) {
	t.Helper()
	for _, tail := range diffTails {
		buf := append(append(make([]byte, 0, len(body)+len(tail)), body...), tail...)
		b := buf[:len(body)]
		want, werr := refScanTrace(b, tf, nil)
		got, gerr := scanTrace(b, tf, nil)
		if (werr == nil) != (gerr == nil) || werr != nil && *werr != *gerr {
			t.Fatalf("scan %q (tail %q): error %v, reference %v", body, tail, gerr, werr)
		}
		if len(got) != len(want) {
			t.Fatalf("scan %q (tail %q): %d points, reference %d", body, tail, len(got), len(want))
		}
		for i := range want {
			if !samePoint(got[i], want[i]) {
				t.Fatalf("scan %q (tail %q): point %d is %+v, reference %+v", body, tail, i, got[i], want[i])
			}
		}
	}
}

func samePoint(a, b inkform.Point) bool {
	return math.Float64bits(a.X) == math.Float64bits(b.X) && math.Float64bits(a.Y) == math.Float64bits(b.Y) &&
		a.T == b.T && math.Float64bits(a.F) == math.Float64bits(b.F)
}

func TestScanTraceMatchesReference(t *testing.T) {
	t.Parallel()
	tests := []string{
		"1 2", "0 0", "-0 +0", "1.5 -2.25", ".5 5.", ". 1", "1 .", "- 1", "1 -", "+ 2",
		"1234567 7654321", "12345678 1", "1234567.8 1", "123456.78 1", "1.234567 1", "1.2345678 1",
		"0000000.0000001 1", "123456789012345 1", "1234567890123456 1", "12345678901234567890 1",
		"1.2.3 4", "1..2 3", "1e5 2", "1.5E-3 2", "1e 2", "1e+ 2", "1x 2", "1 2x", "1\xff 2", "1\xfa2 3",
		"1 2,3 4", "1 2,,3 4", "1 2,", ",1 2", "", " ", "1", "1 2 3 4 5",
		"1 2,'1 '1", "'1 2", `1 2,'1 '2,"1"2`, `1 2,3 4,"1 "1`, `1 2,"1 "1`, "!1 !2,'1'1", "1-2,'3+4",
		"1\t2\n,\r3  4", "82.75 106.125 0 8,82.5 105.625 13 15", "1 2 3,4 5", "1 2 3 4,5 6",
		"1e308 1,'1e308 1", "99999999 1", "1000000000 1", "3333333.3 1",
	}
	for _, tf := range diffFormats {
		for _, body := range tests {
			assertSameScan(t, []byte(body), tf)
		}
	}
}

// TestScanTraceMatchesReferenceRandom compares the scanners on random trace
// text built from the number shapes pens send and the ones they do not.
func TestScanTraceMatchesReferenceRandom(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 8))
	for range 20000 {
		tf := diffFormats[rng.IntN(len(diffFormats))]
		assertSameScan(t, []byte(randomTrace(rng, tf)), tf)
	}
}

// randomTrace returns trace text that is mostly valid for tf.
func randomTrace(rng *rand.Rand, tf *traceFormat) string {
	var sb strings.Builder
	for p := range 1 + rng.IntN(6) {
		if p > 0 {
			sb.WriteString([]string{",", ", ", " ,\n"}[rng.IntN(3)])
		}
		for v := range tf.regular + rng.IntN(tf.total-tf.regular+1) {
			if v > 0 {
				sb.WriteString([]string{" ", "  ", "\t", "\n "}[rng.IntN(4)])
			}
			if p > 1 && rng.IntN(4) == 0 {
				sb.WriteByte("!'\""[rng.IntN(3)])
			}
			sb.WriteString(randomNumber(rng))
		}
	}
	return sb.String()
}

func randomNumber(rng *rand.Rand) string {
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + rng.IntN(10))
		}
		return string(b)
	}
	sign := []string{"", "", "", "-", "+"}[rng.IntN(5)]
	switch rng.IntN(10) {
	case 0:
		return sign + digits(rng.IntN(21))
	case 1:
		return sign + digits(rng.IntN(9)) + "." + digits(rng.IntN(9)) + []string{"", "e3", "E-2", "x", "."}[rng.IntN(5)]
	case 2:
		return fmt.Sprint(rng.IntN(100000))
	case 3:
		return string([]byte{byte(rng.IntN(256))}) + digits(rng.IntN(3))
	}
	return sign + digits(1+rng.IntN(4)) + "." + digits(rng.IntN(5))
}

// FuzzScanTrace compares scanTrace with refScanTrace on any trace text.
func FuzzScanTrace(f *testing.F) {
	f.Add([]byte("82.75 106.125 0 8,82.5 105.625 13 15"), uint8(1))
	f.Add([]byte(`1 2,'1 '1,"1 "-1`), uint8(0))
	f.Add([]byte("1.5e3 .5,5. -0"), uint8(2))
	f.Fuzz(func(t *testing.T, body []byte, format uint8) {
		assertSameScan(t, body, diffFormats[int(format)%len(diffFormats)])
	})
}

// TestParseStrokesOwnTheirPoints checks that strokes, whose points share
// one array, do not share capacity: appending to one leaves the next alone.
func TestParseStrokesOwnTheirPoints(t *testing.T) {
	t.Parallel()
	sub, err := Parse([]byte(doc(mmFormat+`<trace>1 2,3 4</trace><trace type="penUp">9 9</trace><trace>5 6</trace><trace>7 8,&#57; 10</trace>`)), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	strokes := sub.Pages[0].Strokes
	want := [][]inkform.Point{{{X: 1, Y: 2}, {X: 3, Y: 4}}, {{X: 5, Y: 6}}, {{X: 7, Y: 8}, {X: 9, Y: 10}}}
	if len(strokes) != len(want) {
		t.Fatalf("%d strokes, want %d", len(strokes), len(want))
	}
	for i := range want {
		if cap(strokes[i].Points) != len(strokes[i].Points) {
			t.Errorf("stroke %d: capacity %d beyond its %d points", i, cap(strokes[i].Points), len(strokes[i].Points))
		}
		_ = append(strokes[i].Points, inkform.Point{X: -1})
	}
	for i := range want {
		if fmt.Sprint(strokes[i].Points) != fmt.Sprint(want[i]) {
			t.Errorf("stroke %d = %v, want %v", i, strokes[i].Points, want[i])
		}
	}
}
