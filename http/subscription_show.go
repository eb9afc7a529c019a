package http

import (
	"net/http"
)

// handleSubscriptionShow answers GET /api/v1/handlers/{id}: the subscription without
// its secret, which is shown only when the subscription is made.
func (s *Server) handleSubscriptionShow(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	h, err := s.findSubscription(r.Context(), r, org)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, h)
}
