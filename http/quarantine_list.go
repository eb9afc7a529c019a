package http

import (
	"net/http"

	"github.com/inkform/inkform"
)

// quarantineListResponse is the body of GET /api/v1/quarantine.
type quarantineListResponse struct {
	Quarantine []*inkform.QuarantinedSubmission `json:"quarantine"`
}

// handleQuarantineList answers GET /api/v1/quarantine with the org's
// submissions that named a page address no form has; each lists the
// addresses, so an admin can see which form is missing.
func (s *Server) handleQuarantineList(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	list, err := s.Quarantine.ListQuarantine(r.Context(), org)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*inkform.QuarantinedSubmission{}
	}
	return writeJSON(w, http.StatusOK, quarantineListResponse{Quarantine: list})
}
