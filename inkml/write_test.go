package inkml

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// equalPages reports the first difference between two page lists, exactly.
func equalPages(a, b []inkform.PageInk) string {
	if len(a) != len(b) {
		return fmt.Sprintf("%d pages vs %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Address != b[i].Address || len(a[i].Strokes) != len(b[i].Strokes) {
			return fmt.Sprintf("page %d: %q with %d strokes vs %q with %d", i, a[i].Address, len(a[i].Strokes), b[i].Address, len(b[i].Strokes))
		}
		for j := range a[i].Strokes {
			pa, pb := a[i].Strokes[j].Points, b[i].Strokes[j].Points
			if len(pa) != len(pb) {
				return fmt.Sprintf("page %d stroke %d: %d points vs %d", i, j, len(pa), len(pb))
			}
			for k := range pa {
				if pa[k] != pb[k] {
					return fmt.Sprintf("page %d stroke %d point %d: %+v vs %+v", i, j, k, pa[k], pb[k])
				}
			}
		}
	}
	return ""
}

func TestWriteRoundTrip(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 7))
	randomStroke := func(n int) inkform.Stroke {
		s := inkform.Stroke{Points: make([]inkform.Point, n)}
		for i := range s.Points {
			s.Points[i] = inkform.Point{X: rng.Float64() * 210, Y: rng.Float64()*297 - 1, T: rng.Int64N(1 << 42), F: math.Round(rng.Float64()*1e4) / 7}
		}
		return s
	}
	tests := []struct {
		name string
		ink  inkform.DocumentInk
	}{
		{"one page", inkform.DocumentInk{PenID: "AJX-AAB-7KH-6P", Pages: []inkform.PageInk{{Address: "70.3.12.5", Strokes: []inkform.Stroke{randomStroke(1), randomStroke(50)}}}}},
		{"unaddressed and escaped pen", inkform.DocumentInk{PenID: `<pen & "co">`, Pages: []inkform.PageInk{
			{Address: "", Strokes: []inkform.Stroke{randomStroke(3)}},
			{Address: "1.2.3.4", Strokes: []inkform.Stroke{randomStroke(7), randomStroke(2)}}}}},
		{"tiny and negative values", inkform.DocumentInk{Pages: []inkform.PageInk{{Address: "0.0.0.0", Strokes: []inkform.Stroke{
			{Points: []inkform.Point{{X: 5e-300, Y: -0.1, T: -5, F: 1e-9}, {X: maxCoordMM, Y: -maxCoordMM, T: maxTimeMS, F: maxForce}}}}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := Write(&buf, &tt.ink); err != nil {
				t.Fatal(err)
			}
			sub, err := Parse(buf.Bytes(), DefaultLimits())
			if err != nil {
				t.Fatalf("re-parse: %v\n%s", err, buf.String())
			}
			if sub.PenID != tt.ink.PenID {
				t.Errorf("penId %q, want %q", sub.PenID, tt.ink.PenID)
			}
			if diff := equalPages(sub.Pages, tt.ink.Pages); diff != "" {
				t.Error(diff)
			}
		})
	}
}

func TestWriteRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		pts  []inkform.Point
		msg  string
	}{
		{"empty stroke", nil, "no points"},
		{"nan", []inkform.Point{{X: math.NaN()}}, "finite"},
		{"far away", []inkform.Point{{X: 2 * maxCoordMM}}, "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ink := inkform.DocumentInk{Pages: []inkform.PageInk{{Address: "1.2.3.4", Strokes: []inkform.Stroke{{Points: tt.pts}}}}}
			var buf bytes.Buffer
			err := Write(&buf, &ink)
			if inkform.ErrorCode(err) != inkform.EINVALID || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %v, want EINVALID containing %q", err, tt.msg)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes of a refused document", buf.Len())
			}
		})
	}
}

// TestScanDifferences encodes random integer channels with a random mix of
// explicit values, first and second differences, and compact or spaced
// separators, and checks that the scanner recovers every value.
func TestScanDifferences(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 99))
	tf := &traceFormat{regular: 4, total: 4, ix: 0, iy: 1, it: 2, iff: 3, scaleX: 1, scaleY: 1, scaleT: 1}
	for trial := range 300 {
		n := 1 + rng.IntN(40)
		want := make([][4]int64, n)
		for i := range want {
			for c := range 4 {
				want[i][c] = rng.Int64N(2001) - 1000
			}
		}
		var sb strings.Builder
		var mode [4]byte // what the scanner believes for each channel
		for i := range want {
			if i > 0 {
				sb.WriteString([]string{",", ", ", " ,\n"}[rng.IntN(3)])
			}
			for c := range 4 {
				m := byte(rng.IntN(3))
				if i < int(m) {
					m = explicit
				}
				v := want[i][c]
				switch m {
				case firstDiff:
					v -= want[i-1][c]
				case secondDiff:
					v = v - 2*want[i-1][c] + want[i-2][c]
				}
				prefix := ""
				if m != mode[c] || i == 0 && m != explicit || rng.IntN(4) == 0 {
					prefix = string("!'\""[m])
				}
				mode[c] = m
				num := fmt.Sprint(v)
				if c > 0 && (prefix == "" && num[0] != '-' || rng.IntN(2) == 0) {
					sb.WriteByte(' ')
				}
				if num[0] != '-' && prefix == "" && c > 0 && rng.IntN(3) == 0 {
					num = "+" + num
				}
				sb.WriteString(prefix + num)
			}
		}
		pts, serr := scanTrace([]byte(sb.String()), tf, nil)
		if serr != nil {
			t.Fatalf("trial %d: %s in %q", trial, serr.msg, sb.String())
		}
		for i, p := range pts {
			if got := [4]int64{int64(p.X), int64(p.Y), p.T, int64(p.F)}; got != want[i] {
				t.Fatalf("trial %d point %d: got %v, want %v in %q", trial, i, got, want[i], sb.String())
			}
		}
	}
}

// TestDigitRun checks the eight-bytes-at-a-time digit reader against a
// byte loop, for runs of every length, at every alignment, with digits
// beyond len(b) that it must not count.
func TestDigitRun(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(2, 3))
	for range 2000 {
		buf := make([]byte, 40)
		for i := range buf {
			buf[i] = byte('0' + rng.IntN(10))
			if rng.IntN(6) == 0 {
				buf[i] = " ,.-'\"\xff\x2f\x3a"[rng.IntN(9)]
			}
		}
		start, end := rng.IntN(20), 20+rng.IntN(20)
		b := buf[:end]
		want, wantJ := uint64(7), start
		for ; wantJ < len(b) && b[wantJ] >= '0' && b[wantJ] <= '9' && wantJ-start < 18; wantJ++ {
			want = want*10 + uint64(b[wantJ]-'0')
		}
		if wantJ-start == 18 {
			continue // longer runs overflow; the scanner sends them to strconv
		}
		got, j := digitRun(b, start, 7)
		if got != want || j != wantJ {
			t.Fatalf("digitRun(%q, %d) = %d, %d; want %d, %d", b, start, got, j, want, wantJ)
		}
	}
}
