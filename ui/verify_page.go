package ui

import (
	"strconv"
	"strings"

	"github.com/inkform/inkform"
)

// pageView is one page of the form drawn as the writer saw it: the field
// boxes with their labels and the document's ink, in an SVG whose user
// units are millimetres, so boxes and strokes share the template's
// coordinates and the browser scales them to any zoom.
type pageView struct {
	Number  int
	W, H    float64
	Boxes   []boxView
	Strokes []string // SVG path data, one per stroke
	Current bool     // the page of the field the cursor starts on
}

// boxView is one box of a field on the page: the field's box or one of
// its options' boxes.
type boxView struct {
	Field   string
	Label   string // drawn above the field's own box; "" for options
	Box     inkform.Box
	Current bool
}

// mm formats a length in millimetres for SVG: a tenth of a millimetre is
// finer than a pen stroke, and shorter numbers keep the page light.
func mm(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// drawPages lays out the form's pages with the document's ink. Ink on an
// address neither the document nor the form knows is left out, as the
// interpreter leaves it out.
func drawPages(form *inkform.Form, doc *inkform.Document, di *inkform.DocumentInk, current string) []pageView {
	pages := make([]pageView, len(form.Pages))
	for i, p := range form.Pages {
		pages[i] = pageView{Number: i + 1, W: p.Size.W, H: p.Size.H}
	}
	for _, f := range form.Fields {
		if f.Page < 1 || f.Page > len(pages) {
			continue
		}
		pg := &pages[f.Page-1]
		if f.Box != nil {
			pg.Boxes = append(pg.Boxes, boxView{Field: f.Name, Label: labelOf(&f), Box: *f.Box, Current: f.Name == current})
		}
		for _, o := range f.Options {
			pg.Boxes = append(pg.Boxes, boxView{Field: f.Name, Box: o.Box, Current: f.Name == current})
		}
		if f.Name == current {
			pg.Current = true
		}
	}
	if di != nil {
		for _, pi := range di.Pages {
			n, ok := form.PageOf(doc, pi.Address)
			if !ok {
				continue
			}
			for _, st := range pi.Strokes {
				if d := strokePath(st); d != "" {
					pages[n-1].Strokes = append(pages[n-1].Strokes, d)
				}
			}
		}
	}
	return pages
}

// strokePath returns the SVG path data of a stroke; a single point is a
// dot (a zero-length line, drawn with the stroke's round cap).
func strokePath(st inkform.Stroke) string {
	if len(st.Points) == 0 {
		return ""
	}
	var b strings.Builder
	for i, p := range st.Points {
		if i == 0 {
			b.WriteString("M")
		} else {
			b.WriteString(" ")
		}
		b.WriteString(mm(p.X))
		b.WriteString(" ")
		b.WriteString(mm(p.Y))
	}
	if len(st.Points) == 1 {
		b.WriteString(" h0")
	}
	return b.String()
}

// labelOf is what a person calls a field: its label, else its name.
func labelOf(f *inkform.Field) string {
	if f.Label != "" {
		return f.Label
	}
	return f.Name
}
