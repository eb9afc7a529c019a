package ui

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/inkform/inkform"
)

// handleFormPreview serves GET /forms/{id}/preview.pdf and GET
// /forms/{id}/versions/{v}/preview.pdf: the version's blank pages with
// its own addresses (none, for a unique-pattern form), shown by the
// browser's viewer. Nothing is allocated, so reading forms is enough.
func (s *Server) handleFormPreview(w http.ResponseWriter, r *http.Request, v *visit) error {
	if s.Printer == nil {
		s.problem(w, r, v, http.StatusServiceUnavailable, "Printing is not set up on this server.")
		return nil
	}
	form, err := s.findForm(w, r, v)
	if form == nil {
		return err
	}
	pw := &pdfWriter{w: w, disposition: `inline; filename="` + form.ID + "-v" + strconv.Itoa(form.Version) + `-preview.pdf"`}
	if err := s.Printer.Blank(r.Context(), pw, form, nil); err != nil {
		if pw.started {
			return nil // the browser has a truncated file; nothing else to send
		}
		if inkform.ErrorCode(err) == inkform.ETOOLARGE {
			s.problem(w, r, v, http.StatusUnprocessableEntity, "The form draws too much to preview: "+inkform.ErrorMessage(err))
			return nil
		}
		return fmt.Errorf("preview form: %w", err)
	}
	return nil
}

// handleFormPrint serves POST /forms/{id}/print: a PDF download of the
// number of copies asked for, planned as GET /api/v1/forms/{id}/print.pdf
// plans it (inkform.PlanPrint): a copied-pattern form's own addresses on
// every copy; for a unique-pattern form the copies are allocated first,
// which needs forms:write and is audited (form.update). A count out of
// range is said beside the print form (422) and nothing is allocated.
func (s *Server) handleFormPrint(w http.ResponseWriter, r *http.Request, v *visit) error {
	if s.Printer == nil {
		s.problem(w, r, v, http.StatusServiceUnavailable, "Printing is not set up on this server.")
		return nil
	}
	form, err := s.findForm(w, r, v)
	if form == nil {
		return err
	}
	n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("copies")))
	if err != nil || n < 1 || n > maxCopies(form) {
		return s.formProblem(w, r, v, form, http.StatusUnprocessableEntity, "print",
			fmt.Sprintf("The number of copies must be a whole number from 1 to %d.", maxCopies(form)))
	}
	ctx := r.Context()
	run, err := inkform.PlanPrint(ctx, s.Forms, v.Org.ID, form, n, v.User.Role.Can(inkform.PermFormsWrite))
	switch inkform.ErrorCode(err) {
	case "":
	case inkform.EFORBIDDEN:
		s.problem(w, r, v, http.StatusForbidden, "Printing a unique-pattern form allocates copies, which your role ("+string(v.User.Role)+") may not do.")
		return nil
	case inkform.EINVALID, inkform.EUNPROCESSABLE, inkform.ECONFLICT:
		return s.formProblem(w, r, v, form, http.StatusUnprocessableEntity, "print", inkform.ErrorMessage(err))
	default:
		return fmt.Errorf("plan print: %w", err)
	}
	name := form.ID + "-print.pdf"
	if run.Copies > 0 {
		last := run.FirstCopy + run.Copies - 1
		s.auditForm(r, v, form.ID, fmt.Sprintf("version %d: copies %d to %d allocated and printed", form.Version, run.FirstCopy, last))
		name = fmt.Sprintf("%s-copies-%d-%d.pdf", form.ID, run.FirstCopy, last)
		w.Header().Set("Inkform-First-Copy", strconv.Itoa(run.FirstCopy))
		w.Header().Set("Inkform-Copies", strconv.Itoa(run.Copies))
	}
	pw := &pdfWriter{w: w, disposition: `attachment; filename="` + name + `"`}
	if err := s.Printer.Blank(ctx, pw, form, run.Addresses); err != nil && !pw.started {
		return fmt.Errorf("print form: %w", err)
	}
	return nil
}

// pdfWriter writes a PDF's headers before its first byte. The PDF library
// writes nothing until the document is complete, so a failure before
// then can still be an error page.
type pdfWriter struct {
	w           http.ResponseWriter
	disposition string
	started     bool
}

// Write implements io.Writer.
func (p *pdfWriter) Write(b []byte) (int, error) {
	if !p.started {
		p.started = true
		h := p.w.Header()
		h.Set("Content-Type", "application/pdf")
		h.Set("Content-Disposition", p.disposition)
		p.w.WriteHeader(http.StatusOK)
	}
	return p.w.Write(b)
}
