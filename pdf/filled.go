// Package pdf renders PDFs of forms with codeberg.org/go-pdf/fpdf: a filled
// form (the form's background or a drawn form, the real ink as vector
// paths, the values as a coloured layer and a summary page) and printable
// blank forms for pattern printing.
//
// Output is deterministic: dates come from the document or form and no
// random IDs are written, so the same input gives the same file.
package pdf

import (
	"fmt"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/ink"
)

// FilledInput is what a filled-form PDF is made from.
type FilledInput struct {
	Form *inkform.Form        // the form version the document was filled on
	Doc  *inkform.Document    // its values, times and page addresses
	Ink  *inkform.DocumentInk // the stored ink; nil for a digital submission
	// Background is an optional PDF with one page per form page (see
	// NormalizeBackground); without it each page is drawn from the template.
	Background []byte
}

// Filled writes the PDF of a filled form: one page per form page with the
// background (or a drawn form), the ink as vector paths in dark blue with
// widths from pen force, each field's value in small red type beside it,
// then a summary of all fields (label, value, confidence, source, valid).
// Every page has a footer with the document ID, form name and version,
// created and updated times and the SHA-256 of the stored ink.
func Filled(w io.Writer, in FilledInput) error {
	if in.Form == nil || in.Doc == nil {
		return inkform.Errorf(inkform.EINVALID, "pdf: a filled form needs the form and the document")
	}
	if len(in.Form.Pages) == 0 {
		return inkform.Errorf(inkform.EUNPROCESSABLE, "pdf: form %s has no pages", in.Form.ID)
	}
	strokes, err := inkByPage(in.Form, in.Doc, in.Ink)
	if err != nil {
		return err
	}
	var bg *background
	if len(in.Background) > 0 {
		if bg, err = openBackground(in.Background, in.Form); err != nil {
			return err
		}
	}
	pdf := newDocument(in.Doc.CreatedAt, in.Doc.UpdatedAt)
	pdf.SetTitle(in.Form.Name, true)
	pdf.SetSubject("document "+in.Doc.ID, true)
	foot := footer(in)
	for i, page := range in.Form.Pages {
		n := i + 1
		pdf.AddPageFormat("P", fpdf.SizeType{Wd: page.Size.W, Ht: page.Size.H})
		if bg != nil {
			if err := bg.draw(pdf, n, page.Size); err != nil {
				return err
			}
		} else {
			drawFormPage(pdf, in.Form, n, pageAddress(in.Form, in.Doc, n))
		}
		drawInk(pdf, strokes[n], ink.NewPen(strokes[n]))
		drawValues(pdf, in.Form, in.Doc, n)
		drawFooter(pdf, page.Size, foot)
	}
	drawSummary(pdf, in.Form, in.Doc, foot)
	return output(pdf, w)
}

// inkByPage groups the document's ink by form page number. Ink sent later
// to the same page (unique pattern) is added after the earlier ink.
func inkByPage(form *inkform.Form, doc *inkform.Document, di *inkform.DocumentInk) (map[int][]inkform.Stroke, error) {
	out := map[int][]inkform.Stroke{}
	if di == nil {
		return out, nil
	}
	for _, p := range di.Pages {
		n := pageNumber(form, doc, p.Address)
		if n == 0 {
			return nil, inkform.Errorf(inkform.EUNPROCESSABLE,
				"pdf: ink on page address %s is on no page of document %s", p.Address, doc.ID)
		}
		out[n] = append(out[n], p.Strokes...)
	}
	return out, nil
}

// pageNumber resolves a page address: the document's own pages first
// (unique pattern: the copy's addresses), then the form's (copied
// pattern); 0 when neither has it.
func pageNumber(form *inkform.Form, doc *inkform.Document, address string) int {
	for _, p := range doc.Pages {
		if p.Address == address && p.Number >= 1 && p.Number <= len(form.Pages) {
			return p.Number
		}
	}
	for i, p := range form.Pages {
		if p.Address != "" && p.Address == address {
			return i + 1
		}
	}
	return 0
}

// pageAddress is the address printed on drawn page n.
func pageAddress(form *inkform.Form, doc *inkform.Document, n int) string {
	for _, p := range doc.Pages {
		if p.Number == n {
			return p.Address
		}
	}
	return form.Pages[n-1].Address
}

// newDocument returns an empty document in millimetres whose file is the
// same on every run: fixed dates (the Unix epoch stands in for a missing
// one, as fpdf would otherwise use the clock), sorted resources, no
// automatic page breaks.
func newDocument(created, updated time.Time) *fpdf.Fpdf {
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: 210, Ht: 297}})
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCatalogSort(true)
	pdf.SetProducer("inkform", false)
	pdf.SetCreator("inkform", false)
	epoch := time.Unix(0, 0).UTC()
	if created.IsZero() {
		created = epoch
	}
	if updated.IsZero() {
		updated = created
	}
	pdf.SetCreationDate(created.UTC())
	pdf.SetModificationDate(updated.UTC())
	return pdf
}

func output(pdf *fpdf.Fpdf, w io.Writer) error {
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("pdf: write: %w", err)
	}
	return nil
}
