package http

import (
	"net/http"
	"strconv"

	"github.com/inkform/inkform"
)

// pdfRetryAfter is the Retry-After (seconds) of a PDF still being made: a
// render takes tens of milliseconds once a worker has the job.
const pdfRetryAfter = 2

// pdfPending is the body of a 202 answer to GET /api/v1/documents/{id}/pdf.
type pdfPending struct {
	Status string `json:"status"`
	Detail string `json:"detail"`
}

// handleDocumentPDF answers GET /api/v1/documents/{id}/pdf with the PDF of
// the document as it is now. While the PDF of the current state is being
// made it answers 202 with Retry-After and makes sure a render job is
// queued, so a client that polls always gets the PDF in the end, even when
// an earlier job failed for good.
func (s *Server) handleDocumentPDF(w http.ResponseWriter, r *http.Request) error {
	if s.Blobs == nil || s.Renders == nil {
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
	ctx := r.Context()
	doc, err := s.Documents.FindDocument(ctx, org, id)
	if err != nil {
		return err
	}
	render, err := s.Renders.FindRender(ctx, org, id)
	if err != nil && inkform.ErrorCode(err) != inkform.ENOTFOUND {
		return err
	}
	if render.Current(doc) {
		if notModified(w, r, strconv.Quote(render.SHA256)) {
			return nil
		}
		rc, info, err := s.Blobs.Get(ctx, render.Key)
		switch {
		case err == nil:
			defer rc.Close()
			if err := s.auditRead(r, "document", id, "pdf"); err != nil {
				return err
			}
			w.Header().Set("Content-Disposition", `inline; filename="`+id+`.pdf"`)
			return streamBlob(w, rc, info, "application/pdf")
		case inkform.ErrorCode(err) != inkform.ENOTFOUND:
			return err
		}
		// The record outlived its object (a purge or a lost bucket):
		// make it again.
		w.Header().Del("ETag")
		w.Header().Del("Cache-Control")
	}
	if err := s.Renders.RequestRender(ctx, org, id); err != nil {
		return err
	}
	w.Header().Set("Retry-After", strconv.Itoa(pdfRetryAfter))
	return writeJSON(w, http.StatusAccepted, pdfPending{
		Status: "rendering",
		Detail: "the PDF of the document's current state is being made; ask again after Retry-After seconds",
	})
}
