package icrtrain

import (
	"context"
	"fmt"
	"math"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/icr"
)

// FieldResult is the reading of synthetic free-text fields: held-out
// characters written side by side, which tests segmentation and the
// field confidence together.
type FieldResult struct {
	Charset inkform.Charset
	Fields  int
	// Segmented counts fields split into the right number of characters,
	// Exact those read exactly.
	Segmented, Exact int
	// Accepted counts fields whose confidence reached the threshold,
	// AcceptedWrong those of them that were not read exactly, and
	// AcceptedMissplit those of the wrong ones split into another number
	// of characters: the doubt the field confidence does not hold.
	Accepted, AcceptedWrong, AcceptedMissplit int
}

// Field layout: characters scaled to fieldCharMM high, fieldGapMM apart,
// sampled every 10 ms with pauses between strokes and characters, roughly
// how a form's free-text field is filled.
const (
	fieldCharMM = 6
	fieldGapMM  = 1.5
)

// EvaluateFields builds fields of n consecutive characters of cs from
// samples and reads them with Recognize (free text, Cells 0).
func EvaluateFields(ctx context.Context, e *icr.Engine, samples []Sample, cs inkform.Charset, n int, threshold float64) (FieldResult, error) {
	r := FieldResult{Charset: cs}
	for _, f := range buildFields(samples, cs, n) {
		rec, err := e.Recognize(ctx, inkform.RecognizeRequest{Charset: cs, Strokes: f.Strokes})
		if err != nil {
			return r, fmt.Errorf("evaluate fields: %w", err)
		}
		r.Fields++
		splitRight := len(rec.Chars) == n
		if splitRight {
			r.Segmented++
		}
		ok := rec.Text == f.truth
		if ok {
			r.Exact++
		}
		if rec.Confidence >= threshold {
			r.Accepted++
			if !ok {
				r.AcceptedWrong++
			}
			if !ok && !splitRight {
				r.AcceptedMissplit++
			}
		}
	}
	return r, nil
}

// syntheticField is n consecutive characters written side by side: the
// laid-out ink in Strokes, the same ink by character in CellStrokes.
type syntheticField struct {
	Strokes     []inkform.Stroke
	CellStrokes [][]inkform.Stroke
	truth       string
}

// buildFields lays out consecutive characters of cs from samples as
// fields of n; characters left over at the end make no field.
func buildFields(samples []Sample, cs inkform.Charset, n int) []syntheticField {
	var out []syntheticField
	var chars [][]inkform.Stroke
	var truth []rune
	for _, s := range inCharset(samples, cs) {
		if chars, truth = append(chars, s.Strokes), append(truth, s.Label); len(chars) < n {
			continue
		}
		ink := layoutField(chars)
		f := syntheticField{Strokes: ink, truth: string(truth)}
		for _, c := range chars {
			f.CellStrokes, ink = append(f.CellStrokes, ink[:len(c)]), ink[len(c):]
		}
		out = append(out, f)
		chars, truth = nil, nil
	}
	return out
}

// layoutField places characters left to right in millimetres.
func layoutField(chars [][]inkform.Stroke) []inkform.Stroke {
	var out []inkform.Stroke
	x0, t := 10.0, int64(0)
	for _, strokes := range chars {
		minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, s := range strokes {
			for _, p := range s.Points {
				minX, maxX = min(minX, p.X), max(maxX, p.X)
				minY, maxY = min(minY, p.Y), max(maxY, p.Y)
			}
		}
		scale := fieldCharMM / max(maxY-minY, 1e-9)
		for _, s := range strokes {
			st := inkform.Stroke{Points: make([]inkform.Point, len(s.Points))}
			for i, p := range s.Points {
				st.Points[i] = inkform.Point{X: x0 + (p.X-minX)*scale, Y: 20 + (p.Y-minY)*scale, T: t}
				t += 10
			}
			out = append(out, st)
			t += 150
		}
		x0 += (maxX-minX)*scale + fieldGapMM
		t += 300
	}
	return out
}

// String formats the result as one Markdown table row: charset, fields,
// segmented right, read exactly, accepted, wrong among accepted (count, of
// them split wrong).
func (r FieldResult) String() string {
	pct := func(a, b int) string {
		if b == 0 {
			return "–"
		}
		return fmt.Sprintf("%.2f%%", 100*float64(a)/float64(b))
	}
	return fmt.Sprintf("| %s | %d | %s | %s | %s | %s (%d, %d split wrong) |", r.Charset, r.Fields, pct(r.Segmented, r.Fields), pct(r.Exact, r.Fields),
		pct(r.Accepted, r.Fields), pct(r.AcceptedWrong, r.Accepted), r.AcceptedWrong, r.AcceptedMissplit)
}
