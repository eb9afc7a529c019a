package http

import "net/http"

// handleQuarantineDelete answers DELETE /api/v1/quarantine/{id}: the
// submission is dropped without being processed (ink from a test pen, or a
// form that will never exist).
func (s *Server) handleQuarantineDelete(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Quarantine.DeleteQuarantined(r.Context(), org, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
