package icrtrain

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/icr"
)

// Misread is a character the engine accepted and read wrong.
type Misread struct {
	Sample
	Read rune    // the engine's reading
	P    float64 // its probability, at least the threshold
}

// AcceptedWrong returns, in the samples' order, the characters of cs that
// the engine reads wrong with a top probability of at least threshold:
// the errors a form would let through without a person. Evaluate counts
// the same characters as AcceptedWrong.
func AcceptedWrong(e *icr.Engine, samples []Sample, cs inkform.Charset, threshold float64) []Misread {
	var out []Misread
	for _, s := range inCharset(samples, cs) {
		cands := e.Classify(s.Strokes, cs)
		if len(cands) > 0 && cands[0].P >= threshold && cands[0].Char != s.Label {
			out = append(out, Misread{s, cands[0].Char, cands[0].P})
		}
	}
	return out
}

// Sheet limits: a contact sheet draws at most maxSheetChars characters in
// cells of sheetCell pixels, sheetCols to a row.
const (
	sheetCell     = 120
	sheetCols     = 8
	maxSheetChars = 2000
)

// WriteSheet draws the characters' ink as a PNG contact sheet: one
// 120-pixel cell each, eight to a row, in order, each scaled to fill its
// cell with its aspect kept. Looking at what a model gets wrong tells a
// misreading from ink that is the other character's shape or a wrong
// label, which no figure does.
func WriteSheet(w io.Writer, samples []Sample) error {
	if len(samples) == 0 {
		return errors.New("write sheet: no characters")
	}
	if len(samples) > maxSheetChars {
		return fmt.Errorf("write sheet: %d characters, at most %d", len(samples), maxSheetChars)
	}
	rows := (len(samples) + sheetCols - 1) / sheetCols
	img := image.NewGray(image.Rect(0, 0, sheetCols*sheetCell, rows*sheetCell))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for i, s := range samples {
		drawCell(img, image.Pt(i%sheetCols*sheetCell, i/sheetCols*sheetCell), s.Strokes)
	}
	if err := png.Encode(w, img); err != nil {
		return fmt.Errorf("write sheet: %w", err)
	}
	return nil
}

// drawCell draws a cell's grey border (right and bottom) and the strokes,
// three pixels wide, inside a 10-pixel margin.
func drawCell(img *image.Gray, o image.Point, strokes []inkform.Stroke) {
	for k := range sheetCell {
		img.SetGray(o.X+k, o.Y+sheetCell-1, color.Gray{Y: 180})
		img.SetGray(o.X+sheetCell-1, o.Y+k, color.Gray{Y: 180})
	}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, st := range strokes {
		for _, p := range st.Points {
			minX, minY, maxX, maxY = min(minX, p.X), min(minY, p.Y), max(maxX, p.X), max(maxY, p.Y)
		}
	}
	const margin = 10
	// A dot has no extent; 1e-9 keeps it one at the margin's corner.
	scale := float64(sheetCell-2*margin) / max(maxX-minX, maxY-minY, 1e-9)
	pixel := func(p inkform.Point) (float64, float64) {
		return float64(o.X+margin) + (p.X-minX)*scale, float64(o.Y+margin) + (p.Y-minY)*scale
	}
	for _, st := range strokes {
		for j := range st.Points {
			a := st.Points[max(j-1, 0)]
			ax, ay := pixel(a)
			bx, by := pixel(st.Points[j])
			steps := int(math.Hypot(bx-ax, by-ay)) + 1
			for k := 0; k <= steps; k++ {
				t := float64(k) / float64(steps)
				x, y := int(ax+(bx-ax)*t), int(ay+(by-ay)*t)
				for d := range 9 {
					img.SetGray(x+d%3-1, y+d/3-1, color.Gray{})
				}
			}
		}
	}
}
