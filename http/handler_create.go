package http

import (
	"net/http"
	"strings"

	"github.com/inkform/inkform"
)

// errNoHandlers is the answer of the handler routes on a server without a
// handler store.
func errNoHandlers() error {
	return inkform.Errorf(inkform.EUNAVAILABLE, "event handlers are not available on this server")
}

// handlerCreateRequest is the body of POST /api/v1/forms/{id}/handlers.
type handlerCreateRequest struct {
	Type   string   `json:"type"`
	URL    string   `json:"url"`
	Events []string `json:"events"`
}

// handlerCreateResponse is the answer to POST /api/v1/forms/{id}/handlers:
// the handler and, this once only, its signing secret.
type handlerCreateResponse struct {
	*inkform.Handler
	Secret string `json:"secret"`
}

// handleHandlerCreate answers POST /api/v1/forms/{id}/handlers: a new
// handler sending the form's document events to a webhook. The secret is
// in this answer only (not cached, never returned again); the receiver
// verifies signatures with it.
func (s *Server) handleHandlerCreate(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	if s.Handlers == nil {
		return errNoHandlers()
	}
	formID, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req handlerCreateRequest
	if err := decodeJSON(w, r, smallBodyLimit, &req, true); err != nil {
		return err
	}
	// The store checks the form too, inside its transaction; asking first
	// gives the same 404 as the list route whatever the store.
	if _, err := s.Forms.FindForm(r.Context(), org, formID); err != nil {
		return err
	}
	h := &inkform.Handler{FormID: formID, Type: req.Type, URL: strings.TrimSpace(req.URL), Events: req.Events}
	if err := h.Validate(); err != nil {
		e := inkform.Errorf(inkform.EUNPROCESSABLE, "the handler cannot be created; see problems")
		e.Problems = []inkform.Problem{{Path: handlerProblemPath(inkform.ErrorMessage(err)), Message: inkform.ErrorMessage(err)}}
		return e
	}
	secret := inkform.NewWebhookSecret()
	if err := s.Handlers.CreateHandler(r.Context(), org, h, secret); err != nil {
		return err
	}
	// The URL may carry a token of the receiver in its query, so the audit
	// note names only the events.
	s.auditChange(r, inkform.AuditHandlerCreate, "handler", h.ID, "events "+strings.Join(h.Events, ","))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Location", "/api/v1/handlers/"+h.ID)
	return writeJSON(w, http.StatusCreated, handlerCreateResponse{Handler: h, Secret: secret})
}

// handlerProblemPath names the request field a message of
// inkform.Handler.Validate is about (its messages start with the field).
func handlerProblemPath(msg string) string {
	switch {
	case strings.HasPrefix(msg, "handler type"):
		return "type"
	case strings.HasPrefix(msg, "handler url"):
		return "url"
	default:
		return "events"
	}
}
