package ui

import (
	"fmt"
	"io"
	"net/http"

	"github.com/inkform/inkform"
)

// handleDocumentPDF serves GET /documents/{id}/document.pdf: the PDF of
// the document as it is now, shown by the browser's own viewer. While it
// is being made (a render job runs within seconds) a page says so and
// that a reload will show it; the job is requested, so it comes even
// when an earlier one failed for good.
func (s *Server) handleDocumentPDF(w http.ResponseWriter, r *http.Request, v *visit) error {
	if s.Renders == nil || s.Blobs == nil {
		s.problem(w, r, v, http.StatusServiceUnavailable, "PDFs are not set up on this server.")
		return nil
	}
	ctx := r.Context()
	doc, err := s.Documents.FindDocument(ctx, v.Org.ID, r.PathValue("id"))
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		s.problem(w, r, v, http.StatusNotFound, "There is no such document. It may have been deleted.")
		return nil
	} else if err != nil {
		return fmt.Errorf("find document: %w", err)
	}
	render, err := s.Renders.FindRender(ctx, v.Org.ID, doc.ID)
	if err != nil && inkform.ErrorCode(err) != inkform.ENOTFOUND {
		return fmt.Errorf("find render: %w", err)
	}
	if render.Current(doc) {
		rc, _, err := s.Blobs.Get(ctx, render.Key)
		switch {
		case err == nil:
			defer rc.Close()
			if err := s.auditRead(r, v, doc.ID, "pdf"); err != nil {
				return err
			}
			w.Header().Set("Content-Type", "application/pdf")
			w.Header().Set("Content-Disposition", `inline; filename="`+doc.ID+`.pdf"`)
			_, _ = io.Copy(w, rc)
			return nil
		case inkform.ErrorCode(err) != inkform.ENOTFOUND:
			return fmt.Errorf("read pdf: %w", err)
		}
	}
	if err := s.Renders.RequestRender(ctx, v.Org.ID, doc.ID); err != nil {
		return fmt.Errorf("request render: %w", err)
	}
	w.Header().Set("Refresh", "3")
	s.render(w, r, http.StatusAccepted, "error", &view{Title: "PDF being made", Visit: v, CSRF: v.CSRF, Back: "/documents/" + doc.ID,
		Error: "The PDF of the document as it is now is being made. This page reloads by itself in a few seconds."})
	return nil
}
