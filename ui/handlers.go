package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/inkform/inkform"
)

// handlersView is what the handlers pages show: the list grouped by form,
// one handler with its delivery log, the editor, or the dead deliveries.
// The JSON API calls a subscription a handler, and so do these pages.
type handlersView struct {
	Groups []handlerGroup // the list, one group per form

	Form    *inkform.Form         // the handler's form (or the new one's)
	Handler *inkform.Subscription // the handler shown, edited or deleted
	Target  string                // where it sends (handlerTarget)
	// Secret is a new webhook's signing secret, shown on the page that
	// answers its creation and never again.
	Secret string

	Deliveries []*inkform.Delivery // the delivery log, newest first
	Failed     bool                // the log shows failed attempts only

	Edit  *handlerForm   // the editor's fields and their errors
	Types []handlerTypes // the new-handler page's choice of type

	Dead  []deadDelivery // deliveries that failed for good
	Next  string         // the dead deliveries' next page
	First string         // their first page while on a later one
}

// TypeName is the shown handler's type as a heading starts it.
func (hv *handlersView) TypeName() string {
	switch hv.Handler.Type {
	case inkform.SubscriptionWebhook:
		return "Webhook"
	case inkform.SubscriptionEmail:
		return "E-mail"
	}
	return "Export"
}

// handlerGroup is one form's handlers on the list.
type handlerGroup struct {
	Form     *inkform.FormSummary
	Handlers []handlerRow
}

// handlerRow is one handler on a list, with where it sends to.
type handlerRow struct {
	*inkform.Subscription
	Target string
}

// handlerTypes is a type the new-handler page offers, or explains why it
// cannot.
type handlerTypes struct {
	Type, Label, Missing string
}

// handlerRoutes lists the handlers pages: webhooks, e-mail and exports,
// their delivery logs and redelivery (docs/ui.md).
func (s *Server) handlerRoutes() []route {
	return []route{
		{"GET /handlers", s.handlers(s.handleHandlerList)},
		{"GET /handlers/new", s.handlers(s.handleHandlerNew)},
		{"POST /handlers", s.handlers(s.handleHandlerCreate)},
		{"GET /handlers/{id}", s.handlers(s.handleHandlerShow)},
		{"GET /handlers/{id}/edit", s.handlers(s.handleHandlerEditShow)},
		{"POST /handlers/{id}/edit", s.handlers(s.handleHandlerEdit)},
		{"GET /handlers/{id}/delete", s.handlers(s.handleHandlerDeleteConfirm)},
		{"POST /handlers/{id}/delete", s.handlers(s.handleHandlerDelete)},
		{"POST /handlers/{id}/deliveries/{delivery}/redeliver", s.handlers(s.handleHandlerRedeliver)},
		{"GET /deliveries/dead", s.handlers(s.handleDeadDeliveries)},
		{"POST /deliveries/dead/{job}/redeliver", s.handlers(s.handleDeadRedeliver)},
	}
}

// handlers is signedIn for the handlers pages, which need the
// subscription store and the forms.
func (s *Server) handlers(h pageHandler) http.Handler {
	return s.signedIn(inkform.PermSubscriptionsManage, func(w http.ResponseWriter, r *http.Request, v *visit) error {
		if !s.hasHandlers() {
			s.problem(w, r, v, http.StatusServiceUnavailable, "Handlers are not set up on this server.")
			return nil
		}
		return h(w, r, v)
	})
}

// noHandler is the answer for a handler the org does not have.
const noHandler = "There is no such handler. It may have been deleted."

// findHandler reads the handler the path names and its form. A handler
// of another org, or none, is answered with a 404 page and nil.
func (s *Server) findHandler(w http.ResponseWriter, r *http.Request, v *visit) (*inkform.Subscription, *inkform.Form, error) {
	ctx := r.Context()
	h, err := s.Subscriptions.FindSubscription(ctx, v.Org.ID, r.PathValue("id"))
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		s.problem(w, r, v, http.StatusNotFound, noHandler)
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, fmt.Errorf("find handler: %w", err)
	}
	form, err := s.Forms.FindForm(ctx, v.Org.ID, h.FormID)
	if err != nil {
		return nil, nil, fmt.Errorf("find handler's form: %w", err)
	}
	return h, form, nil
}

// handlerTarget says in a few words where a handler sends: a webhook's
// URL without its query (which may hold the receiver's token), an
// e-mail's recipients, an export's target and format.
func handlerTarget(h *inkform.Subscription) string {
	switch h.Type {
	case inkform.SubscriptionWebhook:
		u, err := url.Parse(h.URL)
		if err != nil {
			return ""
		}
		u.RawQuery, u.Fragment = "", ""
		return u.String()
	case inkform.SubscriptionEmail:
		return strings.Join(h.To, ", ")
	case inkform.SubscriptionExport:
		return h.Format + " to " + h.Target
	}
	return ""
}

// auditHandler records a committed change to a handler with the action
// and detail the JSON API uses.
func (s *Server) auditHandler(r *http.Request, v *visit, action, id, detail string) {
	s.auditCommitted(r, v, action, inkform.AuditObject{Kind: "handler", ID: id}, detail)
}

// handlerNote is the audit detail of a created or changed handler: its
// type and events only, as the API writes, since a URL may carry a token
// and a template may quote values.
func handlerNote(h *inkform.Subscription) string {
	return h.Type + " " + strings.Join(h.Events, ",")
}

// findHandlerForm reads the org's form by ID. One the org does not have is
// answered with a 404 page and nil.
func (s *Server) findHandlerForm(w http.ResponseWriter, r *http.Request, v *visit, id string) (*inkform.Form, error) {
	f, err := s.Forms.FindForm(r.Context(), v.Org.ID, id)
	if code := inkform.ErrorCode(err); code == inkform.ENOTFOUND || code == inkform.EINVALID || err == nil && id == "" {
		s.problem(w, r, v, http.StatusNotFound, "There is no such form. Pick one on the handlers page.")
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("find form: %w", err)
	}
	return f, nil
}
