package pdf

import (
	"math"
	"strconv"
)

// font is one of the standard fonts every PDF reader has built in, under
// its resource name in the file.
type font struct {
	resource string
	widths   *[256]uint16
}

var (
	helvetica     = font{"F1", &helveticaWidths}
	helveticaBold = font{"F2", &helveticaBoldWidths}
)

// canvas collects the content operators of one page. Callers measure in
// millimetres from the top left corner, as the form template does; the
// canvas writes points from the bottom left, as PDF does, with two
// decimals (a hundredth of a point is far below what a printer shows);
// ink, the bulk of a page, is written in whole tenths of a point instead
// (drawInk).
type canvas struct {
	b    []byte
	h    float64 // page height, mm
	font font
	size float64 // type size, points
}

// reset starts a page of height h (mm), keeping the buffer.
func (c *canvas) reset(h float64) {
	c.b = c.b[:0]
	c.h = h
	c.font, c.size = helvetica, 12
}

// num appends v and a space. A number that is not finite (from broken
// input) becomes 0: NaN in a content stream would break the page.
func (c *canvas) num(v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	c.b = appendFixed2(c.b, v)
	c.b = append(c.b, ' ')
}

// appendFixed2 appends v with two decimals, as strconv.AppendFloat(b, v,
// 'f', 2, 64) does but in a fraction of its time (numbers are most of a
// page's content). It may differ from it in the last digit for a number
// halfway between two hundredths, and writes no sign for a zero.
func appendFixed2(b []byte, v float64) []byte {
	if math.Abs(v) >= 1e12 {
		return strconv.AppendFloat(b, v, 'f', 2, 64)
	}
	n := int64(math.Round(v * 100))
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendInt(b, n/100, 10)
	return append(b, '.', byte('0'+n/10%10), byte('0'+n%10))
}

// op appends an operator and ends the line.
func (c *canvas) op(s string) {
	c.b = append(c.b, s...)
	c.b = append(c.b, '\n')
}

// xy appends the point (x, y) in millimetres from the top left.
func (c *canvas) xy(x, y float64) {
	c.num(x * ptPerMM)
	c.num((c.h - y) * ptPerMM)
}

// colour appends c's three components and the operator.
func (c *canvas) colour(col rgb, operator string) {
	r, g, b := col.parts()
	for _, v := range [3]int{r, g, b} {
		c.b = strconv.AppendFloat(c.b, float64(v)/255, 'f', 3, 64)
		c.b = append(c.b, ' ')
	}
	c.op(operator)
}

// strokeColour sets the colour of lines.
func (c *canvas) strokeColour(col rgb) { c.colour(col, "RG") }

// lineWidth sets the width of lines in millimetres.
func (c *canvas) lineWidth(mm float64) {
	c.num(mm * ptPerMM)
	c.op("w")
}

// rect strokes the outline of a box.
func (c *canvas) rect(x, y, w, h float64) {
	c.xy(x, y+h)
	c.num(w * ptPerMM)
	c.num(h * ptPerMM)
	c.op("re S")
}

// line strokes a straight line.
func (c *canvas) line(x1, y1, x2, y2 float64) {
	c.xy(x1, y1)
	c.b = append(c.b, "m "...)
	c.xy(x2, y2)
	c.op("l S")
}

// setFont chooses the type of the following text.
func (c *canvas) setFont(f font, size float64) { c.font, c.size = f, size }

// text writes s (Windows-1252 bytes, see latin) with its baseline starting
// at (x, y) in colour col. Colour and font are set inside the text's own
// q/Q, so nothing leaks into what follows.
func (c *canvas) text(x, y float64, col rgb, s string) {
	c.b = append(c.b, "q "...)
	r, g, b := col.parts()
	for _, v := range [3]int{r, g, b} {
		c.b = strconv.AppendFloat(c.b, float64(v)/255, 'f', 3, 64)
		c.b = append(c.b, ' ')
	}
	c.b = append(c.b, "rg BT /"...)
	c.b = append(c.b, c.font.resource...)
	c.b = append(c.b, ' ')
	c.num(c.size)
	c.b = append(c.b, "Tf "...)
	c.xy(x, y)
	c.b = append(c.b, "Td ("...)
	c.b = escapeString(c.b, s)
	c.op(") Tj ET Q")
}

// width is the width of s in millimetres in the current font.
func (c *canvas) width(s string) float64 {
	w := 0
	for i := 0; i < len(s); i++ {
		w += int(c.font.widths[s[i]])
	}
	return c.units(w)
}

// units turns a sum of glyph widths (thousandths of the type size) into
// millimetres.
func (c *canvas) units(w int) float64 { return float64(w) * c.size / 1000 / ptPerMM }

// ellipsis is "…" in Windows-1252.
const ellipsis = "\x85"

// fit shortens s (already Latin) with an ellipsis to at most w mm in the
// current font.
func (c *canvas) fit(s string, w float64) string {
	// No line on a page holds 500 characters of this type; cutting first
	// keeps the work small for long values.
	if len(s) > 500 {
		s = s[:500]
	}
	if c.width(s) <= w {
		return s
	}
	// The longest start of s that fits with the ellipsis after it.
	sum := int(c.font.widths[ellipsis[0]])
	n := 0
	for n < len(s) && c.units(sum+int(c.font.widths[s[n]])) <= w {
		sum += int(c.font.widths[s[n]])
		n++
	}
	return s[:n] + ellipsis
}
