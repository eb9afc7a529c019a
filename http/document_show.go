package http

import "net/http"

// handleDocumentShow answers GET /api/v1/documents/{id} with the document:
// its status, pages and field values with confidence and problems.
func (s *Server) handleDocumentShow(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	doc, err := s.Documents.FindDocument(r.Context(), org, id)
	if err != nil {
		return err
	}
	if err := s.auditRead(r, "document", id, "document"); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, doc)
}
