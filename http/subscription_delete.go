package http

import (
	"net/http"

	"github.com/inkform/inkform"
)

// handleSubscriptionDelete answers DELETE /api/v1/handlers/{id}: the subscription
// and its delivery log are removed; deliveries still queued for it are
// cancelled when they run.
func (s *Server) handleSubscriptionDelete(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	h, err := s.findSubscription(r.Context(), r, org)
	if err != nil {
		return err
	}
	if err := s.Subscriptions.DeleteSubscription(r.Context(), org, h.ID); err != nil {
		return err
	}
	s.auditChange(r, inkform.AuditSubscriptionDelete, "handler", h.ID, "")
	w.WriteHeader(http.StatusNoContent)
	return nil
}
