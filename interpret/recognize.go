package interpret

import (
	"context"
	"fmt"
	"math"
	"sort"
	"unicode/utf8"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/ink"
)

// maxAlternatives is how many alternative readings a value keeps: enough for
// a verifier to pick from with one key, few enough to show beside a cutout.
const maxAlternatives = 3

// recognize reads a text, number or date field with the recognizer.
//
// The strokes are passed relative to the field box's top-left corner (the
// convention of digital ink in the domain), so a reading does not depend on
// where the field sits on the page. A comb field is split into its cells
// first (splitComb); free text goes as one piece for the engine to segment.
// A field whose ink is no mark at all (a dot) reads as empty, with a
// confidence that drops as the ink nears a mark.
func recognize(ctx context.Context, rec inkform.Recognizer, o *Options, f *inkform.Field, strokes []inkform.Stroke) (inkform.FieldValue, error) {
	fv := inkform.FieldValue{Confidence: 1, Source: inkform.SourceICR}
	if len(strokes) == 0 || f.Box == nil {
		return fv, nil
	}
	b, _ := ink.Bounds(strokes)
	if size := max(ink.TotalLength(strokes), b.W, b.H); size < o.MinMarkLength {
		fv.Confidence = marginConfidence(size, o.MinMarkLength)
		return fv, nil
	}
	if err := ctx.Err(); err != nil {
		return fv, err
	}
	local := ink.Translate(strokes, -f.Box.X, -f.Box.Y)
	req := inkform.RecognizeRequest{Strokes: local, Charset: f.EffectiveCharset()}
	if f.Comb > 0 {
		req.Cells = f.Comb
		req.CellStrokes = splitComb(local, inkform.Box{W: f.Box.W, H: f.Box.H}, f.Comb)
	}
	r, err := rec.Recognize(ctx, req)
	if err != nil {
		return fv, fmt.Errorf("recognize field %s: %w", f.Name, err)
	}
	if r.Text != "" {
		fv.Value = r.Text
	}
	fv.Confidence = r.Confidence
	if math.IsNaN(fv.Confidence) {
		fv.Confidence = 0 // an engine's NaN must not pass a threshold test by accident
	}
	fv.Confidence = min(1, max(0, fv.Confidence))
	fv.Alternatives = alternatives(r)
	return fv, nil
}

// splitComb gives each stroke to one cell of a comb: the cell holding most of
// its length. The cells are vertical bands, so ink above or below the box
// still counts, and the first and last bands reach out to the sides, because
// the strokes were already assigned to this field and a digit straying over
// the comb's outer edge still belongs to its end cell. A dot goes to the band
// under it; an equal split goes to the band under the stroke's centre.
func splitComb(strokes []inkform.Stroke, box inkform.Box, n int) [][]inkform.Stroke {
	cells := make([][]inkform.Stroke, n)
	cw := box.W / float64(n)
	cellAt := func(x float64) int {
		return min(n-1, max(0, int(math.Floor((x-box.X)/cw))))
	}
	band := func(i int) inkform.Box {
		const far = 1e9 // beyond any page (MaxPageSide is 2 m)
		x0, x1 := box.X+float64(i)*cw, box.X+float64(i+1)*cw
		if i == 0 {
			x0 = -far
		}
		if i == n-1 {
			x1 = far
		}
		return inkform.Box{X: x0, Y: -far, W: x1 - x0, H: 2 * far}
	}
	for _, s := range strokes {
		if len(s.Points) == 0 {
			continue
		}
		bounds := s.Bounds()
		centre := cellAt(bounds.X + bounds.W/2)
		best, bestLen := centre, -1.0
		for i := cellAt(bounds.X); i <= cellAt(bounds.X+bounds.W); i++ {
			l := ink.LengthInside(&s, band(i))
			if l > bestLen+ink.ShareTie || (l > bestLen-ink.ShareTie && i == centre) {
				best, bestLen = i, l
			}
		}
		cells[best] = append(cells[best], s)
	}
	return cells
}

// alternatives builds other readings of a recognized text from its per
// character candidates: the text with one character replaced by its second
// candidate, most probable first. Engines that give no candidates, or
// candidates that do not line up with the text, give none.
func alternatives(r inkform.Recognition) []string {
	if r.Text == "" || len(r.Chars) != utf8.RuneCountInString(r.Text) {
		return nil
	}
	type alt struct {
		text string
		p    float64
	}
	var alts []alt
	runes := []rune(r.Text)
	for i, c := range r.Chars {
		if len(c.Candidates) < 2 || c.Candidates[1].Char == runes[i] {
			continue
		}
		swapped := append([]rune(nil), runes...)
		swapped[i] = c.Candidates[1].Char
		alts = append(alts, alt{string(swapped), c.Candidates[1].P})
	}
	// Stable, so equally likely alternatives keep the order of the text.
	sort.SliceStable(alts, func(i, j int) bool { return alts[i].p > alts[j].p })
	var out []string
	for _, a := range alts[:min(len(alts), maxAlternatives)] {
		out = append(out, a.text)
	}
	return out
}
