package http

import (
	"net/http"

	"github.com/inkform/inkform"
)

// handleHandlerDelete answers DELETE /api/v1/handlers/{id}: the handler
// and its delivery log are removed; deliveries still queued for it are
// cancelled when they run.
func (s *Server) handleHandlerDelete(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	h, err := s.findHandler(r.Context(), r, org)
	if err != nil {
		return err
	}
	if err := s.Handlers.DeleteHandler(r.Context(), org, h.ID); err != nil {
		return err
	}
	s.auditChange(r, inkform.AuditHandlerDelete, "handler", h.ID, "")
	w.WriteHeader(http.StatusNoContent)
	return nil
}
