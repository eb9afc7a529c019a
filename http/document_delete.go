package http

import (
	"net/http"

	"github.com/inkform/inkform"
)

// handleDocumentDelete answers DELETE /api/v1/documents/{id} with 204: the
// document is purged for good — its row, ink, status history, render record
// and pending jobs from the database (recording a document.purge audit
// event), then every object under its blob prefix (PDFs, cutouts, cached
// files).
//
// The database goes first, so nobody can read the document once the
// answer may still fail. Blob deletion is idempotent, so when it fails
// half-way the client's retry finishes it: the document is then already
// gone, but objects left under its prefix are deleted and the retry still
// answers 204. Only when neither is left is the answer 404.
func (s *Server) handleDocumentDelete(w http.ResponseWriter, r *http.Request) error {
	if s.Purger == nil {
		return inkform.Errorf(inkform.EUNAVAILABLE, "purging documents is not available on this server")
	}
	if s.Blobs == nil {
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
	purgeErr := s.Purger.PurgeDocument(r.Context(), org, id, principalName(r))
	if purgeErr != nil && inkform.ErrorCode(purgeErr) != inkform.ENOTFOUND {
		return purgeErr
	}
	// The prefix holds the caller's org ID, so another org's document
	// can never be touched here.
	n, err := inkform.PurgeDocumentBlobs(r.Context(), s.Blobs, org, id)
	if err != nil {
		return err
	}
	if purgeErr != nil && n == 0 {
		return purgeErr
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
