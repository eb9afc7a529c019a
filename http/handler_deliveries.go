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

// handleHandlerDeliveries answers GET /api/v1/handlers/{id}/deliveries?limit=:
// the handler's latest delivery attempts, newest first, with status code,
// latency and error, so an integrator can see why a receiver gets nothing.
func (s *Server) handleHandlerDeliveries(w http.ResponseWriter, r *http.Request) error {
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
	limit, err := pageLimit(r.URL.Query())
	if err != nil {
		return err
	}
	ds, err := s.Handlers.ListDeliveries(r.Context(), org, id, limit)
	if err != nil {
		return err
	}
	if ds == nil {
		ds = []*inkform.Delivery{}
	}
	return writeJSON(w, http.StatusOK, handlerDeliveriesResponse{Deliveries: ds})
}
