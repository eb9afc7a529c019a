package ui

import (
	"fmt"
	"net/http"
	"strconv"
)

// deliveriesShown is how many of a handler's latest attempts its page
// reads; the failed-only filter picks from these.
const deliveriesShown = 100

// handleHandlerShow serves GET /handlers/{id}?failed=1: the handler's
// settings and conditions, and its delivery log newest first (only the
// failed attempts with failed=1), each attempt with a way to send its
// message again.
func (s *Server) handleHandlerShow(w http.ResponseWriter, r *http.Request, v *visit) error {
	h, form, err := s.findHandler(w, r, v)
	if err != nil || h == nil {
		return err
	}
	q := r.URL.Query()
	hv := &handlersView{Form: form, Handler: h, Target: handlerTarget(h), Failed: q.Get("failed") == "1"}
	ds, err := s.Subscriptions.ListDeliveries(r.Context(), v.Org.ID, h.ID, deliveriesShown)
	if err != nil {
		return fmt.Errorf("list deliveries: %w", err)
	}
	for _, d := range ds {
		if !hv.Failed || d.Error != "" {
			hv.Deliveries = append(hv.Deliveries, d)
		}
	}
	page := &view{Title: "Handler " + h.ID, Visit: v, CSRF: v.CSRF, Handlers: hv}
	switch {
	case q.Get("done") == "saved":
		page.Notice = "The handler is saved. Deliveries already queued go out with these settings."
	case q.Get("redelivered") != "":
		// Only numbers reach the notice: the query is the person's to edit.
		if job, err := strconv.ParseInt(q.Get("redelivered"), 10, 64); err == nil {
			page.Notice = "The message is queued for delivery again (job " + strconv.FormatInt(job, 10) + "). Its attempts appear below as they happen."
		}
	}
	s.render(w, r, http.StatusOK, "handler", page)
	return nil
}
