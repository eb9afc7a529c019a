package icr

import (
	"math"
	"slices"
	"sort"

	"github.com/inkform/inkform"
)

// Segmentation tolerances, as shares of the ink's height (the one length
// that does not depend on how many characters a field holds).
const (
	// segOverlap: a stroke belongs to a character when their horizontal
	// extents overlap by at least this share of the narrower one (a "4"
	// or "T" written in two strokes overlaps itself almost entirely).
	segOverlap = 0.3
	// segSlack widens every extent, so that a thin "1" or "I" still
	// counts as overlapping the bar drawn across it.
	segSlack = 0.04
	// segPauseMs: after this long a pause starts a new character unless
	// the stroke overlaps the previous one clearly (twice segOverlap).
	segPauseMs = 600
	// segSweeps bounds the merge sweeps; one nearly always suffices.
	segSweeps = 4
)

// span is a group of strokes (indices in writing order) and its
// horizontal extent.
type span struct {
	x0, x1 float64
	idx    []int
}

// Segment splits the ink of a free-text field into characters, left to
// right. Strokes are taken in writing order; a stroke joins the current
// character when their horizontal extents overlap, and starts a new one
// when they do not or when a long pause precedes a weak overlap. A second
// pass merges characters that overlap each other, which catches strokes
// added later (a T's bar, a 5's flag drawn after the next character).
func Segment(strokes []inkform.Stroke) [][]inkform.Stroke {
	minY, maxY := math.Inf(1), math.Inf(-1)
	for i := range strokes {
		for _, p := range strokes[i].Points {
			minY, maxY = min(minY, p.Y), max(maxY, p.Y)
		}
	}
	if minY > maxY {
		return nil
	}
	h := max(maxY-minY, 1e-9)
	slack := segSlack * h

	var spans []span
	var lastEnd int64
	for i := range strokes {
		st := strokes[i]
		if len(st.Points) == 0 {
			continue
		}
		b := st.Bounds()
		x0, x1 := b.X-slack, b.X+b.W+slack
		pause := st.Points[0].T - lastEnd
		lastEnd = st.Points[len(st.Points)-1].T
		if n := len(spans); n > 0 {
			cur := &spans[n-1]
			need := segOverlap
			if pause > segPauseMs {
				need *= 2
			}
			if overlapShare(cur.x0, cur.x1, x0, x1) >= need {
				cur.x0, cur.x1 = min(cur.x0, x0), max(cur.x1, x1)
				cur.idx = append(cur.idx, i)
				continue
			}
		}
		spans = append(spans, span{x0: x0, x1: x1, idx: []int{i}})
	}

	// Merge characters that overlap. Sorted by left edge, a character can
	// only absorb the ones that start inside it, so a sweep does the work
	// in linear time however many strokes a hostile field holds; a merge
	// can widen a character enough to reach its predecessor, hence a few
	// sweeps.
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].x0 < spans[j].x0 })
	for range segSweeps {
		merged := spans[:1]
		for _, sp := range spans[1:] {
			last := &merged[len(merged)-1]
			if overlapShare(last.x0, last.x1, sp.x0, sp.x1) >= segOverlap {
				last.x1 = max(last.x1, sp.x1)
				last.idx = append(last.idx, sp.idx...)
				continue
			}
			merged = append(merged, sp)
		}
		done := len(merged) == len(spans)
		spans = merged
		if done {
			break
		}
	}
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].x0+spans[i].x1 < spans[j].x0+spans[j].x1 })
	out := make([][]inkform.Stroke, len(spans))
	for i := range spans {
		// Writing order within a character matters to the trajectory
		// view: a late stroke stays last.
		slices.Sort(spans[i].idx)
		for _, k := range spans[i].idx {
			out[i] = append(out[i], strokes[k])
		}
	}
	return out
}

// overlapShare is the overlap of [a0,a1] and [b0,b1] as a share of the
// narrower interval; negative when they are apart.
func overlapShare(a0, a1, b0, b1 float64) float64 {
	ov := min(a1, b1) - max(a0, b0)
	w := min(a1-a0, b1-b0)
	if w <= 0 {
		return ov
	}
	return ov / w
}
