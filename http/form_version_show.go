package http

import (
	"net/http"
	"strconv"

	"github.com/inkform/inkform"
)

// handleFormVersionShow answers GET /api/v1/forms/{id}/versions/{version}
// with that version of the form, which a verifier needs to read a document
// captured before the form changed.
func (s *Server) handleFormVersionShow(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v := r.PathValue("version")
	version, err := strconv.Atoi(v)
	if err != nil || version < 1 {
		return inkform.Errorf(inkform.ENOTFOUND, "form %s has no version %q: versions are whole numbers from 1", id, v)
	}
	form, err := s.Forms.FindFormVersion(r.Context(), org, id, version)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, form)
}
