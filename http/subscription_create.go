package http

import (
	"context"
	"net/http"
	"strings"

	"github.com/inkform/inkform"
)

// errNoSubscriptions is the answer of the subscription routes on a server without a
// subscription store.
func errNoSubscriptions() error {
	return inkform.Errorf(inkform.EUNAVAILABLE, "event handlers are not available on this server")
}

// handlerRequest is the body of POST /api/v1/forms/{id}/handlers and of
// PATCH /api/v1/handlers/{id}. In a PATCH, an absent member keeps the
// handler's setting.
type handlerRequest struct {
	Type       string               `json:"type"`
	Events     *[]string            `json:"events"`
	Conditions *[]inkform.Condition `json:"conditions"`
	URL        *string              `json:"url"`
	To         *[]string            `json:"to"`
	Subject    *string              `json:"subject"`
	Body       *string              `json:"body"`
	Target     *string              `json:"target"`
	Format     *string              `json:"format"`
	Path       *string              `json:"path"`
}

// apply copies the members present in the request onto h.
func (q *handlerRequest) apply(h *inkform.Subscription) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	set(&h.URL, q.URL)
	set(&h.Subject, q.Subject)
	set(&h.Target, q.Target)
	set(&h.Format, q.Format)
	set(&h.Path, q.Path)
	if q.Body != nil {
		h.Body = *q.Body
	}
	if q.Events != nil {
		h.Events = *q.Events
	}
	if q.Conditions != nil {
		h.Conditions = *q.Conditions
	}
	if q.To != nil {
		h.To = *q.To
	}
}

// subscriptionCreateResponse is the answer to POST /api/v1/forms/{id}/handlers:
// the subscription and, for a webhook and this once only, its signing secret.
type subscriptionCreateResponse struct {
	*inkform.Subscription
	Secret string `json:"secret,omitempty"`
}

// handleSubscriptionCreate answers POST /api/v1/forms/{id}/handlers: a new
// handler sending the form's document events to a webhook, by e-mail or to
// an export target. A webhook's secret is in this answer only (not cached,
// never returned again); the receiver verifies signatures with it.
func (s *Server) handleSubscriptionCreate(w http.ResponseWriter, r *http.Request) error {
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
	var req handlerRequest
	if err := decodeJSON(w, r, smallBodyLimit, &req, true); err != nil {
		return err
	}
	// The store checks the form too, inside its transaction; asking first
	// gives the same 404 as the list route whatever the store, and the
	// fields that conditions name.
	form, err := s.Forms.FindForm(r.Context(), org, formID)
	if err != nil {
		return err
	}
	h := &inkform.Subscription{FormID: formID, Type: req.Type}
	req.apply(h)
	if err := s.checkSubscription(h, form); err != nil {
		return err
	}
	secret := ""
	if h.Type == inkform.SubscriptionWebhook {
		secret = inkform.NewWebhookSecret()
	}
	if err := s.Subscriptions.CreateSubscription(r.Context(), org, h, secret); err != nil {
		return err
	}
	// A URL may carry a token of the receiver in its query and a template
	// may quote values, so the audit note names only the type and events.
	s.auditChange(r, inkform.AuditSubscriptionCreate, "handler", h.ID, h.Type+" "+strings.Join(h.Events, ","))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Location", "/api/v1/handlers/"+h.ID)
	return writeJSON(w, http.StatusCreated, subscriptionCreateResponse{Subscription: h, Secret: secret})
}

// checkSubscription returns a 422 naming what is wrong with h for this
// server (inkform.CheckSubscription).
func (s *Server) checkSubscription(h *inkform.Subscription, form *inkform.Form) error {
	return inkform.CheckSubscription(h, form, inkform.SubscriptionOptions{
		EmailEnabled: s.EmailEnabled, EmailDomains: s.EmailDomains, ExportTargets: s.ExportTargets,
	})
}

// findSubscription reads the subscription a route names. On the routes under
// /api/v1/forms/{form}/handlers, a subscription of another form is not found.
func (s *Server) findSubscription(ctx context.Context, r *http.Request, org string) (*inkform.Subscription, error) {
	if s.Subscriptions == nil {
		return nil, errNoSubscriptions()
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	h, err := s.Subscriptions.FindSubscription(ctx, org, id)
	if err != nil {
		return nil, err
	}
	if f := r.PathValue("form"); f != "" && f != h.FormID {
		return nil, inkform.Errorf(inkform.ENOTFOUND, "the form has no handler with the ID %q", id)
	}
	return h, nil
}
