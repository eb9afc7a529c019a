package http

import (
	"net/http"
	"strconv"

	"github.com/inkform/inkform"
)

// redeliverResponse is the answer to a redelivery: the job that sends the
// message again.
type redeliverResponse struct {
	Job       int64  `json:"job"`
	MessageID string `json:"messageId"`
}

// handleDeliveryRedeliver answers POST
// /api/v1/handlers/{id}/deliveries/{delivery}/redeliver with 202: the
// message of a logged attempt is sent again, with the same message ID (a
// receiver that already took it may drop it) and the subscription's current
// settings. It mends a delivery that went dead while the receiver was
// down, or one the receiver lost.
func (s *Server) handleDeliveryRedeliver(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	h, err := s.findSubscription(r.Context(), r, org)
	if err != nil {
		return err
	}
	did, err := strconv.ParseInt(r.PathValue("delivery"), 10, 64)
	if err != nil || did <= 0 {
		return inkform.Errorf(inkform.ENOTFOUND, "the handler has no delivery %q", r.PathValue("delivery"))
	}
	d, err := s.Subscriptions.FindDelivery(r.Context(), org, h.ID, did)
	if err != nil {
		return err
	}
	job, err := s.Subscriptions.Redeliver(r.Context(), org, h.ID, did)
	if err != nil {
		return err
	}
	s.auditChange(r, inkform.AuditSubscriptionRedeliver, "handler", h.ID, "delivery "+strconv.FormatInt(did, 10))
	return writeJSON(w, http.StatusAccepted, redeliverResponse{Job: job, MessageID: d.MessageID})
}
