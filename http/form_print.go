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
	// Checked before copies are allocated, so a refused print uses none.
	if marks := form.PrintMarks(); n*marks > inkform.MaxPrintMarks {
		return invalidParam("copies", "this form draws %d marks per copy; at most %d copies of it fit in one request (%d marks)",
			marks, max(inkform.MaxPrintMarks/marks, 1), inkform.MaxPrintMarks)
	}
	addrs := make([][]string, n)
	if form.Pattern == inkform.PatternUnique {
		// Printing unique pattern allocates licensed pages, a write.
		if p := inkform.PrincipalFromContext(ctx); p == nil || !p.Role.Can(inkform.PermFormsWrite) {
			return inkform.Errorf(inkform.EFORBIDDEN, "printing a unique-pattern form allocates copies and needs the %s permission", inkform.PermFormsWrite)
		}
		copies, err := s.Forms.CreateCopies(ctx, org, form.ID, n)
		if err != nil {
			return err
		}
		for i, c := range copies {
			addrs[i] = c.Addresses
		}
		w.Header().Set("Inkform-First-Copy", strconv.Itoa(copies[0].Number))
		w.Header().Set("Inkform-Copies", strconv.Itoa(len(copies)))
	} else {
		own := make([]string, len(form.Pages))
		for i, p := range form.Pages {
			own[i] = p.Address
		}
		for i := range addrs {
			addrs[i] = own
		}
	}
	// The PDF library holds the document until it is complete and writes
	// nothing on failure, so the output goes straight to the client: a
	// failure is still a problem response, and no second copy is held.
	// A client that leaves stops the drawing (ctx).
	pw := &pdfResponse{w: w, name: form.ID + "-print.pdf"}
	if err := s.Printer.Blank(ctx, pw, form, addrs); err != nil {
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
