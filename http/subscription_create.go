package http

import (
	"context"
	"net/http"
	"slices"
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

// checkSubscription returns a 422 naming what is wrong with h: its own rules,
// conditions on fields the form lacks, and types or targets this server
// has not been configured for.
func (s *Server) checkSubscription(h *inkform.Subscription, form *inkform.Form) error {
	var msg string
	if err := h.Validate(); err != nil {
		msg = inkform.ErrorMessage(err)
	} else if h.Type == inkform.SubscriptionEmail && !s.EmailEnabled {
		msg = "handler type email: this server has no SMTP server configured (--smtp-url)"
	} else if err := inkform.CheckEmailDomains(h.To, s.EmailDomains); h.Type == inkform.SubscriptionEmail && err != nil {
		msg = inkform.ErrorMessage(err)
	} else if h.Type == inkform.SubscriptionExport && !slices.Contains(s.ExportTargets, h.Target) {
		msg = "export target " + h.Target + " is not configured on this server"
		if len(s.ExportTargets) > 0 {
			msg += "; configured: " + strings.Join(s.ExportTargets, ", ")
		}
	} else {
		for _, c := range h.Conditions {
			if form.Field(c.Field) == nil {
				msg = "condition on " + c.Field + ": the form has no such field"
				break
			}
		}
	}
	if msg == "" {
		return nil
	}
	e := inkform.Errorf(inkform.EUNPROCESSABLE, "the handler cannot be stored: %s", msg)
	e.Problems = []inkform.Problem{{Path: subscriptionProblemPath(msg), Message: msg}}
	return e
}

// subscriptionProblemPath names the request member a message of checkSubscription
// is about.
func subscriptionProblemPath(msg string) string {
	for _, p := range []struct{ prefix, path string }{
		{"handler type", "type"}, {"handler url", "url"}, {"handler setting", "type"},
		{"condition", "conditions"}, {"a condition", "conditions"}, {"e-mail recipient", "to"}, {"an e-mail handler needs", "to"},
		{"e-mail subject", "subject"}, {"e-mail body", "body"}, {"export target", "target"},
		{"export format", "format"}, {"export path", "path"},
	} {
		if strings.HasPrefix(msg, p.prefix) {
			return p.path
		}
	}
	return "events"
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
