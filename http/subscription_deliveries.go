package http

import (
	"net/http"

	"github.com/inkform/inkform"
)

// handlerDeliveriesResponse is the body of GET
// /api/v1/handlers/{id}/deliveries.
type handlerDeliveriesResponse struct {
	Deliveries []*inkform.Delivery `json:"deliveries"`
}

// handleSubscriptionDeliveries answers GET /api/v1/handlers/{id}/deliveries?limit=:
// the subscription's latest delivery attempts, newest first, with status code,
// latency and error, so an integrator can see why a receiver gets nothing.
func (s *Server) handleSubscriptionDeliveries(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	if s.Subscriptions == nil {
		return errNoSubscriptions()
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	limit, err := pageLimit(r.URL.Query())
	if err != nil {
		return err
	}
	ds, err := s.Subscriptions.ListDeliveries(r.Context(), org, id, limit)
	if err != nil {
		return err
	}
	if ds == nil {
		ds = []*inkform.Delivery{}
	}
	return writeJSON(w, http.StatusOK, handlerDeliveriesResponse{Deliveries: ds})
}
