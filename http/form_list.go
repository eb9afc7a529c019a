package http

import (
	"net/http"

	"github.com/inkform/inkform"
)

// formListResponse is the body of GET /api/v1/forms.
type formListResponse struct {
	Forms []*inkform.FormSummary `json:"forms"`
	Next  string                 `json:"next"`
}

// handleFormList answers GET /api/v1/forms?after=&limit=: the summary of
// the latest version of each form, oldest first (GET /api/v1/forms/{id}
// has the whole template). "next" is the after= of the next
// page, "" on the last one.
func (s *Server) handleFormList(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	after, err := cursorID(q, "after")
	if err != nil {
		return err
	}
	limit, err := pageLimit(q)
	if err != nil {
		return err
	}
	// One more than asked tells whether another page follows.
	forms, err := s.Forms.ListForms(r.Context(), org, inkform.FormFilter{After: after, Limit: limit + 1})
	if err != nil {
		return err
	}
	forms, next := nextCursor(forms, limit, func(f *inkform.FormSummary) string { return f.ID })
	return writeJSON(w, http.StatusOK, formListResponse{Forms: forms, Next: next})
}
