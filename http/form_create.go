package http

import (
	"fmt"
	"net/http"

	"github.com/inkform/inkform"
)

// handleFormCreate answers POST /api/v1/forms: the body is a form template
// (docs/forms.md); the answer is the stored form, version 1, with its page
// addresses filled in, and its URL in Location.
//
// Unknown template keys are refused with 422 naming their paths unless the
// request says ?lenient=true (see decodeTemplate).
func (s *Server) handleFormCreate(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	t, err := decodeTemplate(w, r, s.bodyLimit())
	if err != nil {
		return err
	}
	form, err := s.Forms.CreateForm(r.Context(), org, t)
	if err != nil {
		return err
	}
	s.auditChange(r, inkform.AuditFormCreate, "form", form.ID, fmt.Sprintf("version %d", form.Version))
	w.Header().Set("Location", "/api/v1/forms/"+form.ID)
	return writeJSON(w, http.StatusCreated, form)
}
