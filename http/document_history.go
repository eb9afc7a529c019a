package http

import (
	"net/http"

	"github.com/inkform/inkform"
)

// historyResponse is the body of GET /api/v1/documents/{id}/history.
type historyResponse struct {
	Changes []inkform.StatusChange `json:"changes"`
	Fields  []inkform.FieldChange  `json:"fields"`
}

// handleDocumentHistory answers GET /api/v1/documents/{id}/history with the
// document's status changes, oldest first: when it was received,
// interpreted, sent to verification and approved; and the changes people
// made to its field values (none listed on a server without Entries).
func (s *Server) handleDocumentHistory(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	changes, err := s.Documents.ListStatusChanges(r.Context(), org, id)
	if err != nil {
		return err
	}
	if changes == nil {
		changes = []inkform.StatusChange{}
	}
	fields := []inkform.FieldChange{}
	if s.Entries != nil {
		if fields, err = s.Entries.ListFieldChanges(r.Context(), org, id); err != nil {
			return err
		}
	}
	if err := s.auditRead(r, "document", id, "history"); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, historyResponse{Changes: changes, Fields: fields})
}
