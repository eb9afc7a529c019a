package cutout

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/ink"
)

// margin (mm) is the band of page shown around the field so a verifier
// sees ink that strays over the edge.
const margin = 3.0

// layoutColor is the grey of the drawn form layout under a cutout's ink.
var layoutColor = color.RGBA{R: 0xa0, G: 0xa0, B: 0xa0, A: 0xff}

// fieldBoxes returns the boxes a field's cutout shows, those ink.Assign
// gives the field's ink to: its own box and, for a choice, each option's
// box. Boxes without area are left out, as ink.Assign does.
func fieldBoxes(f *inkform.Field) []inkform.Box {
	var out []inkform.Box
	if f.Box != nil && f.Box.W > 0 && f.Box.H > 0 {
		out = append(out, *f.Box)
	}
	for _, o := range f.Options {
		if o.Box.W > 0 && o.Box.H > 0 {
			out = append(out, o.Box)
		}
	}
	return out
}

// viewOf is the part of the page a cutout shows: the union of the field's
// boxes with a margin. ok is false for a field without boxes.
func viewOf(f *inkform.Field) (inkform.Box, bool) {
	boxes := fieldBoxes(f)
	if len(boxes) == 0 {
		return inkform.Box{}, false
	}
	x0, y0 := math.Inf(1), math.Inf(1)
	x1, y1 := math.Inf(-1), math.Inf(-1)
	for _, b := range boxes {
		x0, y0 = min(x0, b.X), min(y0, b.Y)
		x1, y1 = max(x1, b.X+b.W), max(y1, b.Y+b.H)
	}
	return ink.Expand(inkform.Box{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}, margin), true
}

// Strokes returns the strokes a cutout of the named field shows: those
// ink.Assign gives the field with the interpreter's rules (its defaults),
// so a cutout shows the ink the value was read from, and only its own
// field's ink, even where boxes are close or overlap. It is nil for a
// field without ink or a name the form does not have.
func Strokes(form *inkform.Form, doc *inkform.Document, di *inkform.DocumentInk, field string) []inkform.Stroke {
	a := ink.Assign(form, doc, di, ink.DefaultEdgeTolerance, ink.DefaultMinShare)
	for i := range form.Fields {
		if form.Fields[i].Name == field {
			return a.FieldInk[i]
		}
	}
	return nil
}

// render draws the cutout c of field f, cropped to v, in c's format.
func render(r *ink.Renderer, c *inkform.Cutout, f *inkform.Field, v inkform.Box) ([]byte, error) {
	var buf bytes.Buffer
	strokes := Strokes(c.Form, c.Document, c.Ink, f.Name)
	bg := background(c.Form, f.Page, v, float64(c.DPI))
	var err error
	if c.Format == inkform.CutoutSVG {
		err = ink.RenderSVG(&buf, strokes, v, float64(c.DPI), bg)
	} else {
		err = r.RenderPNG(&buf, strokes, v, float64(c.DPI), bg)
	}
	if err != nil {
		return nil, fmt.Errorf("draw cutout: %w", err)
	}
	return buf.Bytes(), nil
}

// background draws the form layout inside view (box outlines and comb
// cells of every field on the page) at dpi. There is no pure-Go PDF
// rasteriser, so an uploaded background PDF cannot be cropped here; the
// drawn layout shows the same boxes the values were read from.
func background(form *inkform.Form, page int, view inkform.Box, dpi float64) image.Image {
	scale := dpi / 25.4
	wpx := max(int(math.Round(view.W*scale)), 1)
	hpx := max(int(math.Round(view.H*scale)), 1)
	img := image.NewRGBA(image.Rect(0, 0, wpx, hpx))
	draw.Draw(img, img.Rect, image.White, image.Point{}, draw.Src)
	px := func(x, y float64) (int, int) {
		return int(math.Round((x - view.X) * scale)), int(math.Round((y - view.Y) * scale))
	}
	line := max(int(math.Round(0.2*scale)), 1) // a 0.2 mm printed rule
	rect := func(b inkform.Box) {
		x0, y0 := px(b.X, b.Y)
		x1, y1 := px(b.X+b.W, b.Y+b.H)
		fill := func(r image.Rectangle) {
			draw.Draw(img, r.Intersect(img.Rect), image.NewUniform(layoutColor), image.Point{}, draw.Src)
		}
		fill(image.Rect(x0, y0, x1+line, y0+line))
		fill(image.Rect(x0, y1, x1+line, y1+line))
		fill(image.Rect(x0, y0, x0+line, y1+line))
		fill(image.Rect(x1, y0, x1+line, y1+line))
	}
	for i := range form.Fields {
		f := &form.Fields[i]
		if f.Page != page {
			continue
		}
		for _, b := range fieldBoxes(f) {
			if !ink.Intersects(b, view) {
				continue
			}
			rect(b)
		}
		if f.Box != nil && f.Comb > 1 && ink.Intersects(*f.Box, view) {
			for c := range f.Comb {
				rect(f.Box.Cell(c, f.Comb))
			}
		}
	}
	return img
}
