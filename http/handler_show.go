package http

import (
	"net/http"
)

// handleHandlerShow answers GET /api/v1/handlers/{id}: the handler without
// its secret, which is shown only when the handler is made.
func (s *Server) handleHandlerShow(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	h, err := s.findHandler(r.Context(), r, org)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, h)
}
