package http

import (
	"net/http"

	"github.com/inkform/inkform"
)

// subscriptionListResponse is the body of GET /api/v1/forms/{id}/handlers.
type subscriptionListResponse struct {
	Subscriptions []*inkform.Subscription `json:"handlers"`
}

// handleSubscriptionList answers GET /api/v1/forms/{id}/handlers: the form's
// handlers, oldest first, without their secrets. An unknown form is 404,
// not an empty list, so a typo in the ID does not look like "no handlers".
func (s *Server) handleSubscriptionList(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	if s.Subscriptions == nil {
		return errNoSubscriptions()
	}
	formID, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Forms.FindForm(r.Context(), org, formID); err != nil {
		return err
	}
	hs, err := s.Subscriptions.ListSubscriptions(r.Context(), org, formID)
	if err != nil {
		return err
	}
	if hs == nil {
		hs = []*inkform.Subscription{}
	}
	return writeJSON(w, http.StatusOK, subscriptionListResponse{Subscriptions: hs})
}
