package http

import "net/http"

// handleFormShow answers GET /api/v1/forms/{id} with the form's latest
// version.
func (s *Server) handleFormShow(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	form, err := s.Forms.FindForm(r.Context(), org, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, form)
}
