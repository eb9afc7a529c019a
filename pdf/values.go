package pdf

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/inkform/inkform"
)

// formatMeta says where a value came from and how sure it is.
func formatMeta(fv inkform.FieldValue) string {
	s := fmt.Sprintf("%s %d%%", fv.Source, int(math.Round(fv.Confidence*100)))
	if !fv.Valid {
		s += " – invalid"
	}
	return s
}

// drawValues prints each field's value on page n in red beside the field:
// to the right of a checkbox (below it is where the next field's label
// usually stands), below any other box, or inside the box's bottom when the
// footer is in the way.
func drawValues(c *canvas, form *inkform.Form, doc *inkform.Document, n int) {
	h := c.h
	c.setFont(helvetica, valuePt)
	for i := range form.Fields {
		f := &form.Fields[i]
		fv, ok := doc.Fields[f.Name]
		if f.Page != n || !ok || inkform.IsEmpty(fv.Value) {
			continue
		}
		a, ok := anchor(f)
		if !ok {
			continue
		}
		text := latin(inkform.ValueText(fv.Value) + "  (" + formatMeta(fv) + ")")
		if f.Type == inkform.FieldCheckbox {
			c.text(a.X+a.W+1.5, a.Y+a.H/2+1, valueColour, c.fit(text, 50))
			continue
		}
		y := a.Y + a.H + 2.6
		if y > h-6 {
			y = a.Y + a.H - 0.8
		}
		c.text(a.X+0.5, y, valueColour, c.fit(text, max(a.W, 50)))
	}
}

// footer returns the footer lines for the document.
func footer(in FilledInput) footerText {
	stamp := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	line1 := latin(fmt.Sprintf("inkform document %s • %s v%d • created %s • updated %s",
		in.Doc.ID, in.Form.Name, in.Form.Version, stamp(in.Doc.CreatedAt), stamp(in.Doc.UpdatedAt)))
	line2 := "no pen ink (digital submission)"
	if in.Ink != nil {
		line2 = "SHA-256 of the stored ink: " + latin(in.Ink.SHA256)
	}
	return footerText{line1, line2}
}

// drawSummary adds pages listing every field: label, page, value,
// confidence, source, valid, and the problems of invalid values. Fields of
// the document that the form version lacks come last, by name.
func drawSummary(d *document, form *inkform.Form, doc *inkform.Document, foot footerText) {
	a4 := inkform.Size{W: 210, H: 297}
	// Table columns: left edge and width in mm.
	summaryColumns := [...]struct {
		title string
		x, w  float64
	}{
		{"Field", 15, 47}, {"Page", 63, 9}, {"Value", 73, 61}, {"Confidence", 135, 19}, {"Source", 155, 19}, {"Valid", 175, 20},
	}
	type row struct {
		label string
		page  int
		fv    inkform.FieldValue
		ok    bool
	}
	var rows []row
	for i := range form.Fields {
		f := &form.Fields[i]
		label := f.Label
		if label == "" {
			label = f.Name
		}
		fv, ok := doc.Fields[f.Name]
		rows = append(rows, row{label, f.Page, fv, ok})
	}
	var extra []string
	for name := range doc.Fields {
		if form.Field(name) == nil {
			extra = append(extra, name)
		}
	}
	slices.Sort(extra)
	for _, name := range extra {
		rows = append(rows, row{name, 0, doc.Fields[name], true})
	}

	c := &d.c
	y := 0.0
	newPage := func() {
		d.addPage(a4)
		drawFooter(c, a4, foot)
		c.setFont(helveticaBold, 12)
		c.text(15, 18, 0, "Field values")
		c.setFont(helvetica, 8)
		c.text(15, 24, 0, c.fit(latin(fmt.Sprintf("%s v%d • document %s • status %s • pen %s",
			form.Name, form.Version, doc.ID, doc.Status, doc.PenID)), 180))
		c.setFont(helveticaBold, 7.5)
		for _, col := range summaryColumns {
			c.text(col.x, 32, 0, col.title)
		}
		c.lineWidth(lineMM)
		c.strokeColour(printColour)
		c.line(15, 33.5, 195, 33.5)
		y = 38.5
	}
	newPage()
	for _, r := range rows {
		if y > a4.H-18 {
			newPage()
		}
		cells := [...]string{r.label, "", "", "", "", ""}
		if r.page > 0 {
			cells[1] = fmt.Sprint(r.page)
		}
		if r.ok {
			cells[2], cells[3], cells[4] = inkform.ValueText(r.fv.Value), fmt.Sprintf("%d%%", int(math.Round(r.fv.Confidence*100))), string(r.fv.Source)
			cells[5] = "yes"
			if !r.fv.Valid {
				cells[5] = "no"
			}
		} else {
			cells[2] = "(no value)"
		}
		c.setFont(helvetica, 7.5)
		colour := rgb(0)
		if r.ok && !r.fv.Valid {
			colour = valueColour
		}
		for i, col := range summaryColumns {
			c.text(col.x, y, colour, c.fit(latin(cells[i]), col.w-1))
		}
		if r.ok && len(r.fv.Problems) > 0 {
			y += 3.5
			c.setFont(helvetica, 6.5)
			c.text(summaryColumns[2].x, y, valueColour, c.fit(latin(strings.Join(r.fv.Problems, "; ")), 120))
		}
		c.strokeColour(0xdddddd)
		c.line(15, y+1.6, 195, y+1.6)
		y += 5
	}
}
