package ui

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/inkform/inkform"
)

// handleHandlerRedeliver serves POST
// /handlers/{id}/deliveries/{delivery}/redeliver: the message of a logged
// attempt is queued once more, as the API's redeliver does — with the
// same message ID, so a receiver that took it already may drop it, and
// the handler's current settings — and audited as handler.redeliver.
func (s *Server) handleHandlerRedeliver(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	h, err := s.Subscriptions.FindSubscription(ctx, v.Org.ID, r.PathValue("id"))
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		s.problem(w, r, v, http.StatusNotFound, noHandler)
		return nil
	} else if err != nil {
		return fmt.Errorf("find handler: %w", err)
	}
	did, err := strconv.ParseInt(r.PathValue("delivery"), 10, 64)
	if err != nil || did <= 0 {
		s.problem(w, r, v, http.StatusNotFound, "The handler has no such delivery.")
		return nil
	}
	job, err := s.Subscriptions.Redeliver(ctx, v.Org.ID, h.ID, did)
	switch inkform.ErrorCode(err) {
	case "":
	case inkform.ENOTFOUND:
		s.problem(w, r, v, http.StatusNotFound, "The handler has no such delivery. Old entries of the log are pruned.")
		return nil
	case inkform.EUNPROCESSABLE:
		s.problem(w, r, v, http.StatusUnprocessableEntity, inkform.ErrorMessage(err))
		return nil
	default:
		return fmt.Errorf("redeliver: %w", err)
	}
	s.auditHandler(r, v, inkform.AuditSubscriptionRedeliver, h.ID, "delivery "+strconv.FormatInt(did, 10))
	http.Redirect(w, r, "/handlers/"+h.ID+"?redelivered="+strconv.FormatInt(job, 10), http.StatusSeeOther)
	return nil
}
