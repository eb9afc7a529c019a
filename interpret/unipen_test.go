package interpret

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// The UNIPEN digits (CC BY 4.0; Guyon et al., ICPR 1994, doi
// 10.5281/zenodo.1195803) are read from beside the repository at test time
// and never copied into it. INKFORM_UNIPEN overrides the path.
const unipenDefault = "../../shared/data/unipen-1a1b-dev.tgz"

// unipenWriter is the writer whose digits the tests use: one source, one
// person, found early in the archive so reading it is cheap (~10 ms).
const unipenWriter = "aga/data/crlmtchl.dat"

// unipenSample is one character: its pen-down strokes as tablet points.
type unipenSample [][][2]float64

// unipenDigits returns unipenWriter's digit samples by label, each a list
// of pen-down strokes in tablet units with y upwards. It skips the test
// when the corpus is not there.
func unipenDigits(t *testing.T) map[rune][]unipenSample {
	t.Helper()
	return unipenWriters(t, func(w string) bool { return w == unipenWriter }, 1)[unipenWriter]
}

// unipenWriters returns the digit samples of the writers that want
// accepts, by writer (named like unipenWriter, "source/data/file"). It
// stops reading once it has enough writers (0: read the whole archive),
// and skips the test when the corpus is not there.
func unipenWriters(t *testing.T, want func(writer string) bool, enough int) map[string]map[rune][]unipenSample {
	t.Helper()
	path := os.Getenv("INKFORM_UNIPEN")
	if path == "" {
		path = unipenDefault
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("UNIPEN corpus not found at %s (set INKFORM_UNIPEN)", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	pens, segs := map[string][]string{}, map[string][]string{}
	out := map[string]map[rune][]unipenSample{}
	for enough == 0 || len(out) < enough {
		h, err := tr.Next()
		if err == io.EOF && enough == 0 {
			break
		}
		if err != nil {
			t.Fatalf("reading %s: %v with %d of %d writers found", path, err, len(out), enough)
		}
		// A writer's ink is in include/SRC/data/FILE, its 1a digit
		// segmentation in data/1a/SRC/FILE.
		var w string
		if rest, ok := strings.CutPrefix(h.Name, "include/"); ok && want(rest) {
			w, pens[rest] = rest, readLines(t, tr)
		} else if rest, ok := strings.CutPrefix(h.Name, "data/1a/"); ok {
			src, file, _ := strings.Cut(rest, "/")
			if w = src + "/data/" + file; want(w) {
				segs[w] = readLines(t, tr)
			}
		}
		if pens[w] != nil && segs[w] != nil {
			out[w] = parseUnipen(t, pens[w], segs[w])
		}
	}
	return out
}

func readLines(t *testing.T, r io.Reader) []string {
	var lines []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// parseUnipen follows the counting rule of the product brief: stroke
// numbers count every .PEN_DOWN block and every .PEN_UP block that carries
// points. Point-level ranges (stroke:point) are skipped.
func parseUnipen(t *testing.T, pen, segs []string) map[rune][]unipenSample {
	type block struct {
		down bool
		pts  [][2]float64
	}
	var blocks []*block
	var cur *block
	for _, l := range pen {
		switch {
		case strings.HasPrefix(l, ".PEN_DOWN"), strings.HasPrefix(l, ".PEN_UP"):
			cur = &block{down: strings.HasPrefix(l, ".PEN_DOWN")}
			blocks = append(blocks, cur)
		case strings.HasPrefix(l, "."):
			cur = nil
		case cur != nil:
			fs := strings.Fields(l)
			if len(fs) < 2 {
				continue
			}
			x, ex := strconv.ParseFloat(fs[0], 64)
			y, ey := strconv.ParseFloat(fs[1], 64)
			if ex == nil && ey == nil {
				cur.pts = append(cur.pts, [2]float64{x, y})
			}
		}
	}
	var numbered []*block
	for _, b := range blocks {
		if b.down || len(b.pts) > 0 {
			numbered = append(numbered, b)
		}
	}
	out := map[rune][]unipenSample{}
	for _, l := range segs {
		fs := strings.Fields(l)
		if len(fs) < 5 || fs[0] != ".SEGMENT" || fs[1] != "CHARACTER" || strings.Contains(fs[2], ":") {
			continue
		}
		label := []rune(strings.Trim(fs[4], `"`))
		if len(label) != 1 {
			continue
		}
		var sample unipenSample
		for _, r := range strings.Split(fs[2], ",") {
			lo, hi, _ := strings.Cut(r, "-")
			a, err1 := strconv.Atoi(lo)
			b, err2 := strconv.Atoi(hi)
			if hi == "" {
				b, err2 = a, nil
			}
			if err1 != nil || err2 != nil || a < 0 || b >= len(numbered) {
				t.Fatalf("bad segment %q", l)
			}
			for _, bl := range numbered[a : b+1] {
				if bl.down && len(bl.pts) > 0 {
					sample = append(sample, bl.pts)
				}
			}
		}
		if len(sample) > 0 {
			out[label[0]] = append(out[label[0]], sample)
		}
	}
	return out
}

// write places a sample in a comb cell as a pen would put it on paper:
// flipped to y downwards, scaled so its larger side fits 70% of the cell
// height (or 80% of the width), centred, 13 ms between points.
func (s unipenSample) write(cell inkform.Box, t0 int64) []inkform.Stroke {
	minX, minY, maxX, maxY := s[0][0][0], s[0][0][1], s[0][0][0], s[0][0][1]
	for _, st := range s {
		for _, p := range st {
			minX, maxX = min(minX, p[0]), max(maxX, p[0])
			minY, maxY = min(minY, p[1]), max(maxY, p[1])
		}
	}
	scale := min(0.7*cell.H/max(maxY-minY, 1), 0.8*cell.W/max(maxX-minX, 1))
	ox := cell.X + (cell.W-scale*(maxX-minX))/2
	oy := cell.Y + (cell.H-scale*(maxY-minY))/2
	var out []inkform.Stroke
	t := t0
	for _, st := range s {
		var stroke inkform.Stroke
		for _, p := range st {
			stroke.Points = append(stroke.Points, inkform.Point{X: ox + scale*(p[0]-minX), Y: oy + scale*(maxY-p[1]), T: t, F: 0.5})
			t += 13
		}
		out = append(out, stroke)
		t += 200
	}
	return out
}

// TestInterpretUnipenDigits writes real handwritten digits (several of them
// in two strokes) into the patient number comb, also straying over the cell
// borders, and checks that each cell reaches the recognizer with exactly the
// strokes of its digit.
func TestInterpretUnipenDigits(t *testing.T) {
	t.Parallel()
	digits := unipenDigits(t)
	const number = "451470"
	for _, d := range number {
		if len(digits[d]) == 0 {
			t.Fatalf("no sample of %q in %s", d, unipenWriter)
		}
	}
	tests := []struct {
		name   string
		dx, dy float64
	}{
		{"centred", 0, 0},
		{"straying right over the borders", 1.2, 0.5},
		{"straying left and up", -1.2, -2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := testForm()
			pno := fieldBox(f, "patient_no")
			var ink []inkform.Stroke
			var want [][]inkform.Stroke
			multi := 0
			for i, d := range number {
				// A different sample for repeated digits, as a hand never
				// writes the same digit twice alike.
				samples := digits[d]
				s := samples[(i*7)%len(samples)]
				strokes := shift(s.write(pno.Cell(i, 6), int64(i)*2000), tt.dx, tt.dy)
				if len(strokes) > 1 {
					multi++
				}
				ink = append(ink, strokes...)
				want = append(want, strokes)
			}
			if multi == 0 {
				t.Fatal("no multi-stroke digit: the test would not exercise the split")
			}
			rec := &recorder{}
			res, err := (&Interpreter{Recognizer: rec}).Interpret(context.Background(), f, testDoc(), inkOf(addr1, ink))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Unassigned) != 0 {
				t.Fatalf("%d pages of unassigned ink", len(res.Unassigned))
			}
			reqs := rec.requests()
			if len(reqs) != 1 || reqs[0].Cells != 6 {
				t.Fatalf("%d requests, want one for the 6-cell comb", len(reqs))
			}
			for i, cell := range reqs[0].CellStrokes {
				if len(cell) != len(want[i]) {
					t.Errorf("cell %d (%c) got %d strokes, want %d", i, number[i], len(cell), len(want[i]))
					continue
				}
				for j := range cell {
					got, orig := cell[j].Points[0], want[i][j].Points[0]
					if got.T != orig.T || len(cell[j].Points) != len(want[i][j].Points) {
						t.Errorf("cell %d stroke %d is not the digit's stroke %d", i, j, j)
					}
				}
			}
			// The default recognizer's "unknown" sends the field to a person.
			if fv := res.Fields["patient_no"]; fv.Value != nil || fv.Confidence != 0 {
				t.Errorf("patient_no = %+v, want unknown with confidence 0", fv)
			}
		})
	}
}
