package http

import (
	"net/http"

	"github.com/inkform/inkform"
)

// handlerListResponse is the body of GET /api/v1/forms/{id}/handlers.
type handlerListResponse struct {
	Handlers []*inkform.Handler `json:"handlers"`
}

// handleHandlerList answers GET /api/v1/forms/{id}/handlers: the form's
// handlers, oldest first, without their secrets. An unknown form is 404,
// not an empty list, so a typo in the ID does not look like "no handlers".
func (s *Server) handleHandlerList(w http.ResponseWriter, r *http.Request) error {
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
	if _, err := s.Forms.FindForm(r.Context(), org, formID); err != nil {
		return err
	}
	hs, err := s.Handlers.ListHandlers(r.Context(), org, formID)
	if err != nil {
		return err
	}
	if hs == nil {
		hs = []*inkform.Handler{}
	}
	return writeJSON(w, http.StatusOK, handlerListResponse{Handlers: hs})
}
