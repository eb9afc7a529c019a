package http

import (
	"net/http"
	"strconv"

	"github.com/inkform/inkform"
)

// handleFormPrint answers GET /api/v1/forms/{id}/print.pdf?copies=N with
// blank pages for a pattern-printing tool: N sets of the form's pages, each
// page with its address printed small in a corner. For a unique-pattern
// form the N copies are allocated first (so the caller also needs
// forms:write), and each set carries its copy's own addresses; the
// Inkform-First-Copy and Inkform-Copies headers give the number of the first
// copy and how many there are. The dot
// pattern itself is printed by the pattern licensee's tools.
func (s *Server) handleFormPrint(w http.ResponseWriter, r *http.Request) error {
	if s.Printer == nil {
		return errNoBlobs()
	}
	org, err := orgID(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n := 1
	if v := r.URL.Query().Get("copies"); v != "" {
		if n, err = strconv.Atoi(v); err != nil || n < 1 || n > inkform.MaxPrintCopies {
			return invalidParam("copies", "must be an integer from 1 to %d", inkform.MaxPrintCopies)
		}
	}
	ctx := r.Context()
	form, err := s.Forms.FindForm(ctx, org, id)
	if err != nil {
		return err
	}
	// Printing unique pattern allocates licensed pages, a write.
	p := inkform.PrincipalFromContext(ctx)
	run, err := inkform.PlanPrint(ctx, s.Forms, org, form, n, p != nil && p.Role.Can(inkform.PermFormsWrite))
	if err != nil {
		return err
	}
	if run.Copies > 0 {
		w.Header().Set("Inkform-First-Copy", strconv.Itoa(run.FirstCopy))
		w.Header().Set("Inkform-Copies", strconv.Itoa(run.Copies))
	}
	// The PDF library holds the document until it is complete and writes
	// nothing on failure, so the output goes straight to the client: a
	// failure is still a problem response, and no second copy is held.
	// A client that leaves stops the drawing (ctx).
	pw := &pdfResponse{w: w, name: form.ID + "-print.pdf"}
	if err := s.Printer.Blank(ctx, pw, form, run.Addresses); err != nil {
		if pw.started {
			return nil // the client has a truncated file; nothing else to send
		}
		return err
	}
	return nil
}

// pdfResponse writes the PDF headers before the first byte of the body.
type pdfResponse struct {
	w       http.ResponseWriter
	name    string
	started bool
}

// Write implements io.Writer.
func (p *pdfResponse) Write(b []byte) (int, error) {
	if !p.started {
		p.started = true
		h := p.w.Header()
		h.Set("Content-Type", "application/pdf")
		h.Set("Content-Disposition", `attachment; filename="`+p.name+`"`)
		p.w.WriteHeader(http.StatusOK)
	}
	return p.w.Write(b)
}
