package http

import (
	"fmt"
	"net/http"

	"github.com/inkform/inkform"
)

// handleFormUpdate answers PUT /api/v1/forms/{id}: the body is a complete
// template, stored as the form's next version (earlier versions stay, since
// documents already captured refer to them). Unknown keys are refused, as
// on create.
func (s *Server) handleFormUpdate(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t, err := decodeTemplate(w, r, s.bodyLimit())
	if err != nil {
		return err
	}
	form, err := s.Forms.UpdateForm(r.Context(), org, id, t)
	if err != nil {
		return err
	}
	s.auditChange(r, inkform.AuditFormUpdate, "form", form.ID, fmt.Sprintf("version %d", form.Version))
	return writeJSON(w, http.StatusOK, form)
}
