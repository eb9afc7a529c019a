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
	if s.Handlers == nil {
		return errNoHandlers()
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Handlers.DeleteHandler(r.Context(), org, id); err != nil {
		return err
	}
	s.auditChange(r, inkform.AuditHandlerDelete, "handler", id, "")
	w.WriteHeader(http.StatusNoContent)
	return nil
}
