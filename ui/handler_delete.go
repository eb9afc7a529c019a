package ui

import (
	"fmt"
	"net/http"

	"github.com/inkform/inkform"
)

// handleHandlerDeleteConfirm serves GET /handlers/{id}/delete: what
// deleting the handler removes, and a button that does it.
func (s *Server) handleHandlerDeleteConfirm(w http.ResponseWriter, r *http.Request, v *visit) error {
	h, form, err := s.findHandler(w, r, v)
	if err != nil || h == nil {
		return err
	}
	s.render(w, r, http.StatusOK, "handler_delete", &view{Title: "Delete handler " + h.ID, Visit: v, CSRF: v.CSRF,
		Handlers: &handlersView{Form: form, Handler: h, Target: handlerTarget(h)}})
	return nil
}

// handleHandlerDelete serves POST /handlers/{id}/delete: the handler and
// its delivery log are removed, as DELETE /api/v1/handlers/{id} does;
// deliveries still queued for it are cancelled when they run.
func (s *Server) handleHandlerDelete(w http.ResponseWriter, r *http.Request, v *visit) error {
	id := r.PathValue("id")
	err := s.Subscriptions.DeleteSubscription(r.Context(), v.Org.ID, id)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		s.problem(w, r, v, http.StatusNotFound, noHandler)
		return nil
	} else if err != nil {
		return fmt.Errorf("delete handler: %w", err)
	}
	s.auditHandler(r, v, inkform.AuditSubscriptionDelete, id, "")
	http.Redirect(w, r, "/handlers?done=deleted", http.StatusSeeOther)
	return nil
}
