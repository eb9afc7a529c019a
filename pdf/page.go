package pdf

import (
	"math"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/charmap"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/ink"
)

// Type sizes (points) and colours of the drawn layers. Print is grey so
// that ink (dark blue) and values (red) stand out.
const (
	labelPt   = 6.0
	addressPt = 6.0
	valuePt   = 6.5
	footerPt  = 5.0
	lineMM    = 0.2
)

// rgb is a colour as 0xRRGGBB, so that colours can be constants.
type rgb uint32

const (
	printColour  rgb = 0x6e6e6e
	labelColour  rgb = 0x3c3c3c
	valueColour  rgb = 0xbe1e1e
	footerColour rgb = 0x646464
)

func (c rgb) parts() (int, int, int) { return int(c >> 16 & 0xff), int(c >> 8 & 0xff), int(c & 0xff) }

// latin turns text into the Windows-1252 bytes the PDF core fonts use;
// characters outside it become "?" and control characters spaces.
func latin(s string) string {
	plain := true
	for i := 0; i < len(s) && plain; i++ {
		plain = s[i] >= 0x20 && s[i] < 0x7f
	}
	if plain {
		return s // nothing to change: no copy
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f:
			b.WriteByte(' ')
		case r < 0x80:
			b.WriteByte(byte(r))
		default:
			if c, ok := charmap.Windows1252.EncodeRune(r); ok {
				b.WriteByte(c)
			} else {
				b.WriteByte('?')
			}
		}
	}
	return b.String()
}

// anchor is the box a field's label and value are placed by: its box, or
// the bounds of its option boxes.
func anchor(f *inkform.Field) (inkform.Box, bool) {
	if f.Box != nil {
		return *f.Box, true
	}
	if len(f.Options) == 0 {
		return inkform.Box{}, false
	}
	b := f.Options[0].Box
	for _, o := range f.Options[1:] {
		x0, y0 := min(b.X, o.Box.X), min(b.Y, o.Box.Y)
		x1, y1 := max(b.X+b.W, o.Box.X+o.Box.W), max(b.Y+b.H, o.Box.Y+o.Box.H)
		b = inkform.Box{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}
	}
	return b, true
}

// drawFormPage draws page n of the form from its template: field boxes,
// comb cells, checkbox and option squares, labels in small type and the
// page address in the top right corner of a page w mm wide.
func drawFormPage(c *canvas, form *inkform.Form, n int, address string, w float64) {
	c.lineWidth(lineMM)
	c.strokeColour(printColour)
	for i := range form.Fields {
		f := &form.Fields[i]
		if f.Page != n {
			continue
		}
		if f.Box != nil {
			b := *f.Box
			c.rect(b.X, b.Y, b.W, b.H)
			for cell := 1; cell < f.Comb; cell++ {
				x := b.Cell(cell, f.Comb).X
				c.line(x, b.Y+b.H*0.35, x, b.Y+b.H)
			}
		}
		c.setFont(helvetica, labelPt*0.9)
		for _, o := range f.Options {
			c.rect(o.Box.X, o.Box.Y, o.Box.W, o.Box.H)
			label := o.Label
			if label == "" {
				label = o.Value
			}
			c.text(o.Box.X+o.Box.W+1, o.Box.Y+o.Box.H/2+0.8, labelColour, latin(label))
		}
		a, ok := anchor(f)
		if !ok {
			continue
		}
		label := f.Label
		if label == "" {
			label = f.Name
		}
		c.setFont(helvetica, labelPt)
		y := a.Y - 0.8
		if a.Y < 3 {
			y = a.Y + 2.5 // no room above: inside the top of the box
		}
		c.text(a.X, y, labelColour, c.fit(latin(label), max(a.W, 40)))
	}
	if address != "" {
		c.setFont(helvetica, addressPt)
		s := latin(address)
		c.text(w-3-c.width(s), 4, labelColour, s)
	}
}

// drawInk draws strokes as vector paths: one path per run of one width,
// round caps and joins, a filled disc for a dot. The ink sits between q
// and Q, so its colour, widths, caps and scale do not leak into later
// drawing. Inside, one unit is inkUnit points, so that every coordinate is
// a whole number: a page of ink is thousands of them, and shorter numbers
// are less to format and to compress (see inkXY).
func drawInk(c *canvas, strokes []inkform.Stroke, pen ink.Pen) {
	if len(strokes) == 0 {
		return
	}
	col := ink.InkColor()
	blue := rgb(col.R)<<16 | rgb(col.G)<<8 | rgb(col.B)
	c.b = append(c.b, "q 1 J 1 j "...)
	c.colour(blue, "RG")
	c.colour(blue, "rg")
	c.op(inkScale)
	for i := range strokes {
		pen.Runs(&strokes[i], func(width float64, pts []inkform.Point) {
			c.num(width * ptPerMM / inkUnit)
			if len(pts) == 1 {
				// A dot: a zero-length line with round caps is a disc.
				c.b = append(c.b, "w "...)
				c.inkXY(pts[0])
				c.b = append(c.b, "m "...)
				c.inkXY(pts[0])
				c.op("l S")
				return
			}
			c.op("w")
			c.inkXY(pts[0])
			c.op("m")
			for _, p := range pts[1:] {
				c.inkXY(p)
				c.op("l")
			}
			c.op("S")
		})
	}
	c.op("Q")
}

// inkUnit is the unit of ink coordinates in points: a tenth of a point is
// 0.035 mm, below a pen's resolution and a printer's dot (0.042 mm at 600
// dpi). inkScale sets it.
const (
	inkUnit  = 0.1
	inkScale = "0.1 0 0 0.1 0 0 cm"
)

// inkXY appends p, in millimetres from the top left, as whole inkUnits
// from the bottom left, each followed by a space.
func (c *canvas) inkXY(p inkform.Point) {
	for _, v := range [2]float64{p.X * ptPerMM / inkUnit, (c.h - p.Y) * ptPerMM / inkUnit} {
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) >= 1e12 {
			v = 0 // broken input must not break the page
		}
		c.b = strconv.AppendInt(c.b, int64(math.Round(v)), 10)
		c.b = append(c.b, ' ')
	}
}

// footer holds the two footer lines of every page.
type footerText [2]string

// drawFooter prints the footer small in the bottom left corner.
func drawFooter(c *canvas, size inkform.Size, foot footerText) {
	c.setFont(helvetica, footerPt)
	c.text(3, size.H-4.2, footerColour, c.fit(foot[0], size.W-6))
	c.text(3, size.H-1.8, footerColour, c.fit(foot[1], size.W-6))
}
