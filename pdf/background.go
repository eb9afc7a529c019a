package pdf

import (
	"bytes"
	"fmt"
	"io"
	"math"

	"codeberg.org/go-pdf/fpdf"
	fpdi "codeberg.org/go-pdf/fpdf/contrib/gofpdi"

	"github.com/inkform/inkform"
)

// sizeTolerance is how far (mm) a background page may differ from the
// form's page size: PDF tools round page sizes to whole points.
const sizeTolerance = 1.0

const ptPerMM = 72 / 25.4

func unreadable(r any) error {
	return &inkform.Error{
		Code:     inkform.EUNPROCESSABLE,
		Message:  "background is not a PDF this server can read",
		Problems: []inkform.Problem{{Path: "background", Message: fmt.Sprint(r)}},
	}
}

func matchSizes(sizes []inkform.Size, form *inkform.Form) error {
	var problems []inkform.Problem
	if len(sizes) != len(form.Pages) {
		problems = append(problems, inkform.Problem{
			Path:    "background",
			Message: fmt.Sprintf("has %d pages, the form %d", len(sizes), len(form.Pages)),
		})
	}
	for i := range min(len(sizes), len(form.Pages)) {
		got, want := sizes[i], form.Pages[i].Size
		if math.Abs(got.W-want.W) > sizeTolerance || math.Abs(got.H-want.H) > sizeTolerance {
			problems = append(problems, inkform.Problem{
				Path: fmt.Sprintf("background.pages[%d]", i),
				Message: fmt.Sprintf("is %.1f x %.1f mm, the form page %.1f x %.1f mm (±%g mm)",
					got.W, got.H, want.W, want.H, sizeTolerance),
			})
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return &inkform.Error{
		Code:     inkform.EUNPROCESSABLE,
		Message:  "background PDF does not match the form: " + problems[0].Message,
		Problems: problems,
	}
}

// background imports the pages of a background PDF into a document.
type background struct {
	imp *fpdi.Importer
	rs  io.ReadSeeker
}

// openBackground checks data against the form and prepares the import of
// its normalised form (see NormalizeBackground).
func openBackground(data []byte, form *inkform.Form) (*background, error) {
	plain, err := NormalizeBackground(data, form)
	if err != nil {
		return nil, err
	}
	return &background{imp: fpdi.NewImporter(), rs: bytes.NewReader(plain)}, nil
}

// draw puts background page n (1-based) on the current page, scaled to
// the form page's size (they differ by at most the tolerance).
func (b *background) draw(pdf *fpdf.Fpdf, n int, size inkform.Size) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = unreadable(r)
		}
	}()
	tpl := b.imp.ImportPageFromStream(pdf, &b.rs, n, "/MediaBox")
	b.imp.UseImportedTemplate(pdf, tpl, 0, 0, size.W, size.H)
	return nil
}
