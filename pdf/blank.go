package pdf

import (
	"context"
	"fmt"
	"io"

	"github.com/inkform/inkform"
)

// Blank writes printable blank forms: for each copy one set of the form's
// pages, drawn from the template (field boxes, comb cells, checkboxes,
// labels), each page with its page address small in the top right corner.
// copies holds, per copy, the address of every page; nil prints one copy
// with the form's own addresses (copied pattern).
//
// The PDF is meant for a pattern-printing tool: printing the Anoto dot
// pattern itself is done by the pattern licensee's tools, which place the
// pattern for each page address; this package draws only the visible form.
func Blank(ctx context.Context, w io.Writer, form *inkform.Form, copies [][]string) error {
	if form == nil || len(form.Pages) == 0 {
		return inkform.Errorf(inkform.EINVALID, "pdf: a blank form needs a form with pages")
	}
	if copies == nil {
		own := make([]string, len(form.Pages))
		for i, p := range form.Pages {
			own[i] = p.Address
		}
		copies = [][]string{own}
	}
	if len(copies) > inkform.MaxPrintCopies {
		return inkform.Errorf(inkform.EINVALID, "pdf: at most %d copies at once, not %d", inkform.MaxPrintCopies, len(copies))
	}
	if marks := len(copies) * form.PrintMarks(); marks > inkform.MaxPrintMarks {
		return inkform.Errorf(inkform.ETOOLARGE, "pdf: %d copies of this form draw %d marks, more than %d", len(copies), marks, inkform.MaxPrintMarks)
	}
	for i, c := range copies {
		if len(c) != len(form.Pages) {
			return inkform.Errorf(inkform.EINVALID, "pdf: copy %d has %d page addresses, the form %d pages", i+1, len(c), len(form.Pages))
		}
	}
	d := newDocument(nil)
	defer d.release()
	for _, addresses := range copies {
		for i, page := range form.Pages {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("pdf: blank form: %w", err)
			}
			d.addPage(page.Size)
			drawFormPage(&d.c, form, i+1, addresses[i], page.Size.W)
		}
	}
	return d.finish(w, form.Name, fmt.Sprintf("blank form, %d copies", len(copies)), form.UpdatedAt, form.UpdatedAt)
}

// Printer is inkform.FormPrinter and inkform.DocumentPrinter with this
// package: the API's blank forms and background checks and the pipeline's
// filled documents, without either depending on the PDF library.
type Printer struct {
	// Backgrounds keeps backgrounds prepared between filled documents;
	// nil prepares each document's anew.
	Backgrounds *BackgroundCache
}

var (
	_ inkform.FormPrinter     = Printer{}
	_ inkform.DocumentPrinter = Printer{}
)

// Filled implements inkform.DocumentPrinter.
func (p Printer) Filled(w io.Writer, form *inkform.Form, doc *inkform.Document, di *inkform.DocumentInk, background []byte) error {
	return filledWith(w, FilledInput{Form: form, Doc: doc, Ink: di, Background: background}, p.Backgrounds)
}

// NormalizeBackground implements inkform.FormPrinter.
func (Printer) NormalizeBackground(data []byte, form *inkform.Form) ([]byte, error) {
	return NormalizeBackground(data, form)
}

// Blank implements inkform.FormPrinter.
func (Printer) Blank(ctx context.Context, w io.Writer, form *inkform.Form, copies [][]string) error {
	return Blank(ctx, w, form, copies)
}
