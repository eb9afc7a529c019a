package pdf

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

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
func drawValues(pdf *fpdf.Fpdf, form *inkform.Form, doc *inkform.Document, n int) {
	_, h := pdf.GetPageSize()
	pdf.SetFont("Helvetica", "", valuePt)
	setText(pdf, valueColour)
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
			pdf.Text(a.X+a.W+1.5, a.Y+a.H/2+1, fit(pdf, text, 50))
			continue
		}
		y := a.Y + a.H + 2.6
		if y > h-6 {
			y = a.Y + a.H - 0.8
		}
		pdf.Text(a.X+0.5, y, fit(pdf, text, max(a.W, 50)))
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
func drawSummary(pdf *fpdf.Fpdf, form *inkform.Form, doc *inkform.Document, foot footerText) {
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

	y := 0.0
	newPage := func() {
		pdf.AddPageFormat("P", fpdf.SizeType{Wd: a4.W, Ht: a4.H})
		drawFooter(pdf, a4, foot)
		setText(pdf, 0)
		pdf.SetFont("Helvetica", "B", 12)
		pdf.Text(15, 18, "Field values")
		pdf.SetFont("Helvetica", "", 8)
		pdf.Text(15, 24, fit(pdf, latin(fmt.Sprintf("%s v%d • document %s • status %s • pen %s",
			form.Name, form.Version, doc.ID, doc.Status, doc.PenID)), 180))
		pdf.SetFont("Helvetica", "B", 7.5)
		for _, c := range summaryColumns {
			pdf.Text(c.x, 32, c.title)
		}
		pdf.SetLineWidth(lineMM)
		setDraw(pdf, printColour)
		pdf.Line(15, 33.5, 195, 33.5)
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
		pdf.SetFont("Helvetica", "", 7.5)
		setText(pdf, 0)
		if r.ok && !r.fv.Valid {
			setText(pdf, valueColour)
		}
		for i, c := range summaryColumns {
			pdf.Text(c.x, y, fit(pdf, latin(cells[i]), c.w-1))
		}
		if r.ok && len(r.fv.Problems) > 0 {
			y += 3.5
			pdf.SetFont("Helvetica", "", 6.5)
			setText(pdf, valueColour)
			pdf.Text(summaryColumns[2].x, y, fit(pdf, latin(strings.Join(r.fv.Problems, "; ")), 120))
		}
		setDraw(pdf, 0xdddddd)
		pdf.Line(15, y+1.6, 195, y+1.6)
		y += 5
	}
}
