package ui

import (
	"net/http"

	"github.com/inkform/inkform"
)

// tabletListSize is how many forms the list of forms to fill shows at
// once; "More" shows the next ones.
const tabletListSize = 50

// tabletList is the list of forms to fill in.
type tabletList struct {
	Forms []*inkform.FormSummary
	More  string // the URL of the next forms, "" at the end
}

// handleTabletList serves GET /f/: the org's forms, each linked to its
// tablet form, oldest first (GET /f/?after={id} continues the list).
func (s *Server) handleTabletList(w http.ResponseWriter, r *http.Request, v *visit) error {
	forms, err := s.Forms.ListForms(r.Context(), v.Org.ID, inkform.FormFilter{After: r.URL.Query().Get("after"), Limit: tabletListSize + 1})
	if err != nil {
		return err
	}
	list := &tabletList{Forms: forms}
	if len(forms) > tabletListSize {
		list.Forms = forms[:tabletListSize]
		list.More = "/f/?after=" + list.Forms[tabletListSize-1].ID
	}
	s.render(w, r, http.StatusOK, "tablet_list", &view{Title: "Fill in a form", Visit: v, CSRF: v.CSRF, FormList: list})
	return nil
}
