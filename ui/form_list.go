package ui

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/inkform/inkform"
)

// formsPage is how many forms one page of the list shows.
const formsPage = 50

// handleFormList serves GET /forms: the org's forms, oldest first, each
// with its latest version, pages, pattern and last change, a page at a
// time by ID (?after=), and the way to a new one for those who may.
func (s *Server) handleFormList(w http.ResponseWriter, r *http.Request, v *visit) error {
	after := r.URL.Query().Get("after")
	if len(after) > 64 {
		after = ""
	}
	// One more than a page tells whether another page follows.
	list, err := s.Forms.ListForms(r.Context(), v.Org.ID, inkform.FormFilter{After: after, Limit: formsPage + 1})
	if err != nil {
		return fmt.Errorf("list forms: %w", err)
	}
	fv := &formsView{List: list, CanWrite: v.User.Role.Can(inkform.PermFormsWrite)}
	if len(list) > formsPage {
		fv.List = list[:formsPage]
		fv.Next = "/forms?" + url.Values{"after": {list[formsPage-1].ID}}.Encode()
	}
	if after != "" {
		fv.First = "/forms"
	}
	s.render(w, r, http.StatusOK, "forms", &view{Title: "Forms", Visit: v, CSRF: v.CSRF, Forms: fv})
	return nil
}
