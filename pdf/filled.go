// Package pdf renders PDFs of forms: a filled form (the form's background
// or a drawn form, the real ink as vector paths, the values as a coloured
// layer and a summary page) and printable blank forms for pattern
// printing. It writes the files itself (writer.go): pages, the standard
// fonts, a background's pages as Form XObjects read with pdfcpu.
//
// Output is deterministic: dates come from the document or form and no
// random IDs are written, so the same input gives the same file.
package pdf

import (
	"io"

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
	return filledWith(w, in, nil)
}

// filledWith is Filled taking prepared backgrounds from cache (which may
// be nil).
func filledWith(w io.Writer, in FilledInput, cache *BackgroundCache) error {
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
	var bg *preparedBackground
	if len(in.Background) > 0 {
		if bg, err = cache.prepare(in.Background, in.Form); err != nil {
			return err
		}
	}
	d := newDocument(bg)
	defer d.release()
	foot := footer(in)
	for i, page := range in.Form.Pages {
		n := i + 1
		d.addPage(page.Size)
		if bg != nil {
			d.drawBackground(n, page.Size)
		} else {
			drawFormPage(&d.c, in.Form, n, in.Form.PageAddress(in.Doc, n), page.Size.W)
		}
		drawInk(&d.c, strokes[n], ink.NewPen(strokes[n]))
		drawValues(&d.c, in.Form, in.Doc, n)
		drawFooter(&d.c, page.Size, foot)
	}
	drawSummary(d, in.Form, in.Doc, foot)
	return d.finish(w, in.Form.Name, "document "+in.Doc.ID, in.Doc.CreatedAt, in.Doc.UpdatedAt)
}

// inkByPage groups the document's ink by form page number. Ink sent later
// to the same page (unique pattern) is added after the earlier ink.
func inkByPage(form *inkform.Form, doc *inkform.Document, di *inkform.DocumentInk) (map[int][]inkform.Stroke, error) {
	out := map[int][]inkform.Stroke{}
	if di == nil {
		return out, nil
	}
	for _, p := range di.Pages {
		n, ok := form.PageOf(doc, p.Address)
		if !ok {
			return nil, inkform.Errorf(inkform.EUNPROCESSABLE,
				"pdf: ink on page address %s is on no page of document %s", p.Address, doc.ID)
		}
		out[n] = append(out[n], p.Strokes...)
	}
	return out, nil
}
