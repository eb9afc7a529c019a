package http

import (
	"bytes"
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
	// Written to memory first, so that a failure is still a problem
	// response rather than a truncated PDF.
	var buf bytes.Buffer
	if err := s.Printer.Blank(&buf, form, addrs); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+form.ID+`-print.pdf"`)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes()) // a failed write is the client gone; nothing to answer
	return nil
}
