package ui

import (
	"context"
	"fmt"
	"net/http"

	"github.com/inkform/inkform"
)

// handleDocumentDeleteConfirm serves GET /documents/{id}/delete: what
// deleting the document removes, and a button that does it.
func (s *Server) handleDocumentDeleteConfirm(w http.ResponseWriter, r *http.Request, v *visit) error {
	if s.Purger == nil {
		s.problem(w, r, v, http.StatusServiceUnavailable, "Deleting documents is not set up on this server.")
		return nil
	}
	dv, err := s.documentPage(w, r, v)
	if err != nil || dv == nil {
		return err
	}
	s.render(w, r, http.StatusOK, "document_delete", &view{Title: "Delete document " + dv.Doc.ID, Visit: v, CSRF: v.CSRF, Doc: dv})
	return nil
}

// handleDocumentDelete serves POST /documents/{id}/delete: the document
// is purged for good, as DELETE /api/v1/documents/{id} does (its rows
// with a document.purge audit event, then its files), and the list
// answers. Posting again after a failure half-way finishes the files.
func (s *Server) handleDocumentDelete(w http.ResponseWriter, r *http.Request, v *visit) error {
	if s.Purger == nil {
		s.problem(w, r, v, http.StatusServiceUnavailable, "Deleting documents is not set up on this server.")
		return nil
	}
	gone, err := s.purge(r.Context(), v, r.PathValue("id"))
	if err != nil {
		return err
	}
	if !gone {
		s.problem(w, r, v, http.StatusNotFound, "There is no such document. It may have been deleted already.")
		return nil
	}
	http.Redirect(w, r, "/documents?done=deleted", http.StatusSeeOther)
	return nil
}

// purge deletes a document of the visitor's org and its files and
// reports whether there was anything to delete. The blob prefix holds
// the org's ID, so another org's files are never touched.
func (s *Server) purge(ctx context.Context, v *visit, id string) (bool, error) {
	purgeErr := s.Purger.PurgeDocument(ctx, v.Org.ID, id, v.Actor())
	if purgeErr != nil && inkform.ErrorCode(purgeErr) != inkform.ENOTFOUND {
		return false, fmt.Errorf("purge document %s: %w", id, purgeErr)
	}
	n := 0
	if s.Blobs != nil {
		var err error
		if n, err = inkform.PurgeDocumentBlobs(ctx, s.Blobs, v.Org.ID, id); err != nil {
			return false, err
		}
	}
	return purgeErr == nil || n > 0, nil
}
