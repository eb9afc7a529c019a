package http

import (
	"net/http"
	"strings"

	"github.com/inkform/inkform"
)

// handleSubscriptionUpdate answers PATCH /api/v1/handlers/{id}: the members
// given replace the subscription's settings (events, conditions and the
// settings of its type); its type, form and secret stay. Deliveries
// already queued go out with the settings current when they run.
func (s *Server) handleSubscriptionUpdate(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	h, err := s.findSubscription(r.Context(), r, org)
	if err != nil {
		return err
	}
	var req handlerRequest
	if err := decodeJSON(w, r, smallBodyLimit, &req, true); err != nil {
		return err
	}
	if req.Type != "" && req.Type != h.Type {
		e := inkform.Errorf(inkform.EUNPROCESSABLE, "the handler cannot be stored: a handler's type cannot change; make a new handler")
		e.Problems = []inkform.Problem{{Path: "type", Message: "a handler's type cannot change; make a new handler"}}
		return e
	}
	form, err := s.Forms.FindForm(r.Context(), org, h.FormID)
	if err != nil {
		return err
	}
	// The request is applied to the subscription as stored at the moment of the
	// write (its row locked), so a concurrent PATCH is not overwritten.
	h, err = s.Subscriptions.UpdateSubscription(r.Context(), org, h.ID, func(cur *inkform.Subscription) error {
		req.apply(cur)
		return s.checkSubscription(cur, form)
	})
	if err != nil {
		return err
	}
	s.auditChange(r, inkform.AuditSubscriptionUpdate, "handler", h.ID, h.Type+" "+strings.Join(h.Events, ","))
	return writeJSON(w, http.StatusOK, h)
}
