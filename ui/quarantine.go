package ui

import (
	"net/http"

	"github.com/inkform/inkform"
)

// quarantineView is the quarantine: ink whose page address no form has.
// With Entry it is the page that assigns one of the entry's addresses to
// a page of a form.
type quarantineView struct {
	Entries []*inkform.QuarantinedSubmission
	Entry   *inkform.QuarantinedSubmission
	Address string       // the address being assigned
	Targets []optionView // "formID/page" of each page of each copied-pattern form
}

// quarantine is signedIn for the quarantine pages, which need the
// quarantine, the forms and the ink parser.
func (s *Server) quarantine(h pageHandler) http.Handler {
	return s.signedIn(inkform.PermQuarantine, func(w http.ResponseWriter, r *http.Request, v *visit) error {
		if !s.hasQuarantine() {
			s.problem(w, r, v, http.StatusServiceUnavailable, "The quarantine is not set up on this server.")
			return nil
		}
		return h(w, r, v)
	})
}

// handleQuarantine serves GET /quarantine: the org's quarantined ink,
// oldest first, each with the addresses no form has, a way to assign one
// to a form's page and a way to delete it.
func (s *Server) handleQuarantine(w http.ResponseWriter, r *http.Request, v *visit) error {
	list, err := s.Quarantine.ListQuarantine(r.Context(), v.Org.ID)
	if err != nil {
		return err
	}
	page := &view{Title: "Quarantine", Visit: v, CSRF: v.CSRF, Quarantine: &quarantineView{Entries: list}}
	switch r.URL.Query().Get("done") {
	case "deleted":
		page.Notice = "The quarantined ink is deleted."
	case "assigned":
		page.Notice = "The address is assigned and the ink processed: its document is in the documents list."
	}
	s.render(w, r, http.StatusOK, "quarantine", page)
	return nil
}

// handleQuarantineDelete serves POST /quarantine/{id}/delete: the ink is
// dropped without being processed (a test pen, a form that will never
// exist).
func (s *Server) handleQuarantineDelete(w http.ResponseWriter, r *http.Request, v *visit) error {
	err := s.Quarantine.DeleteQuarantined(r.Context(), v.Org.ID, r.PathValue("id"))
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		s.problem(w, r, v, http.StatusNotFound, "There is no such quarantined ink. It may have been deleted or processed already.")
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/quarantine?done=deleted", http.StatusSeeOther)
	return nil
}
