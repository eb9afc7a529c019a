package ui

import (
	"fmt"
	"net/http"

	"github.com/inkform/inkform"
)

// handleHandlerList serves GET /handlers: every form of the org with its
// handlers (type, events, where they send), oldest first, and a way to
// add one to each form.
func (s *Server) handleHandlerList(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	_, forms, err := s.formNames(ctx, v.Org.ID)
	if err != nil {
		return err
	}
	hv := &handlersView{}
	for _, f := range forms {
		subs, err := s.Subscriptions.ListSubscriptions(ctx, v.Org.ID, f.ID)
		if err != nil {
			return fmt.Errorf("list handlers of form %s: %w", f.ID, err)
		}
		g := handlerGroup{Form: f}
		for _, h := range subs {
			g.Handlers = append(g.Handlers, handlerRow{Subscription: h, Target: handlerTarget(h)})
		}
		hv.Groups = append(hv.Groups, g)
	}
	page := &view{Title: "Handlers", Visit: v, CSRF: v.CSRF, Handlers: hv}
	if r.URL.Query().Get("done") == "deleted" {
		page.Notice = "The handler and its delivery log are deleted. Deliveries still queued for it are cancelled."
	}
	s.render(w, r, http.StatusOK, "handlers", page)
	return nil
}

// handlerTypeChoices lists the handler types with, for each this server
// cannot deliver, the reason.
func (s *Server) handlerTypeChoices() []handlerTypes {
	email, export := "", ""
	if !s.SubscriptionOptions.EmailEnabled {
		email = "this server has no SMTP server configured"
	}
	if len(s.SubscriptionOptions.ExportTargets) == 0 {
		export = "this server has no export targets configured"
	}
	return []handlerTypes{
		{Type: inkform.SubscriptionWebhook, Label: "Webhook: POST each event, signed, to a URL"},
		{Type: inkform.SubscriptionEmail, Label: "E-mail: mail each event, with the PDF when there is one", Missing: email},
		{Type: inkform.SubscriptionExport, Label: "Export: write each document as PDF, JSON or CSV to a target", Missing: export},
	}
}
