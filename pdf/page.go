package pdf

import (
	"bytes"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
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

func setDraw(pdf *fpdf.Fpdf, c rgb) { pdf.SetDrawColor(c.parts()) }
func setText(pdf *fpdf.Fpdf, c rgb) { pdf.SetTextColor(c.parts()) }

// latin turns text into the Windows-1252 bytes the PDF core fonts use;
// characters outside it become "?" and control characters spaces.
func latin(s string) string {
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

// fit shortens s (already Latin) with an ellipsis to at most w mm in the
// current font.
func fit(pdf *fpdf.Fpdf, s string, w float64) string {
	// No line on a page holds 500 characters of this type; cutting first
	// keeps the loop below short for long values.
	if len(s) > 500 {
		s = s[:500]
	}
	if pdf.GetStringWidth(s) <= w {
		return s
	}
	const ellipsis = "\x85"
	for len(s) > 0 && pdf.GetStringWidth(s+ellipsis) > w {
		s = s[:len(s)-1]
	}
	return s + ellipsis
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
// page address in the top right corner.
func drawFormPage(pdf *fpdf.Fpdf, form *inkform.Form, n int, address string) {
	pdf.SetLineWidth(lineMM)
	setDraw(pdf, printColour)
	for i := range form.Fields {
		f := &form.Fields[i]
		if f.Page != n {
			continue
		}
		if f.Box != nil {
			b := *f.Box
			pdf.Rect(b.X, b.Y, b.W, b.H, "D")
			for c := 1; c < f.Comb; c++ {
				x := b.Cell(c, f.Comb).X
				pdf.Line(x, b.Y+b.H*0.35, x, b.Y+b.H)
			}
		}
		pdf.SetFont("Helvetica", "", labelPt*0.9)
		setText(pdf, labelColour)
		for _, o := range f.Options {
			pdf.Rect(o.Box.X, o.Box.Y, o.Box.W, o.Box.H, "D")
			label := o.Label
			if label == "" {
				label = o.Value
			}
			pdf.Text(o.Box.X+o.Box.W+1, o.Box.Y+o.Box.H/2+0.8, latin(label))
		}
		a, ok := anchor(f)
		if !ok {
			continue
		}
		label := f.Label
		if label == "" {
			label = f.Name
		}
		pdf.SetFont("Helvetica", "", labelPt)
		y := a.Y - 0.8
		if a.Y < 3 {
			y = a.Y + 2.5 // no room above: inside the top of the box
		}
		pdf.Text(a.X, y, fit(pdf, latin(label), max(a.W, 40)))
	}
	if address != "" {
		w, _ := pdf.GetPageSize()
		pdf.SetFont("Helvetica", "", addressPt)
		setText(pdf, labelColour)
		s := latin(address)
		pdf.Text(w-3-pdf.GetStringWidth(s), 4, s)
	}
}

// drawInk draws strokes as vector paths: one path per run of one width,
// round caps and joins, a filled disc for a dot. The content operators are
// written directly: fpdf formats every point with fmt, which made ink the
// largest cost of a filled page. The ink sits between q and Q, so its
// colour, widths and caps do not leak into later drawing.
func drawInk(pdf *fpdf.Fpdf, strokes []inkform.Stroke, pen ink.Pen) {
	if len(strokes) == 0 {
		return
	}
	k := pdf.GetConversionRatio() // points per mm
	_, h := pdf.GetPageSize()
	c := ink.InkColor()
	b := make([]byte, 0, 64<<10)
	b = append(b, "q 1 J 1 j "...)
	rgbOp := func(b []byte, v uint8) []byte { return append(appendNum(b, float64(v)/255), ' ') }
	b = rgbOp(rgbOp(rgbOp(b, c.R), c.G), c.B)
	b = append(b, "RG "...)
	b = rgbOp(rgbOp(rgbOp(b, c.R), c.G), c.B)
	b = append(b, "rg\n"...)
	point := func(b []byte, p inkform.Point, op string) []byte {
		b = appendNum(b, p.X*k)
		b = append(b, ' ')
		b = appendNum(b, (h-p.Y)*k)
		return append(b, op...)
	}
	for i := range strokes {
		pen.Runs(&strokes[i], func(width float64, pts []inkform.Point) {
			if len(pts) == 1 {
				// A dot: a zero-length line with round caps is a disc.
				b = appendNum(b, width*k)
				b = append(b, " w "...)
				b = point(b, pts[0], " m ")
				b = point(b, pts[0], " l S\n")
				return
			}
			b = appendNum(b, width*k)
			b = append(b, " w\n"...)
			b = point(b, pts[0], " m\n")
			for _, p := range pts[1:] {
				b = point(b, p, " l\n")
			}
			b = append(b, "S\n"...)
		})
	}
	b = append(b, 'Q')
	pdf.RawWriteBuf(bytes.NewReader(b))
}

// appendNum appends v with two decimals, as fpdf writes coordinates.
func appendNum(b []byte, v float64) []byte {
	return strconv.AppendFloat(b, v, 'f', 2, 64)
}

// footer holds the two footer lines of every page.
type footerText [2]string

// drawFooter prints the footer small in the bottom left corner.
func drawFooter(pdf *fpdf.Fpdf, size inkform.Size, foot footerText) {
	pdf.SetFont("Helvetica", "", footerPt)
	setText(pdf, footerColour)
	pdf.Text(3, size.H-4.2, fit(pdf, foot[0], size.W-6))
	pdf.Text(3, size.H-1.8, fit(pdf, foot[1], size.W-6))
}
