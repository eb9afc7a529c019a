package ui

import (
	"net/http"

	"github.com/inkform/inkform"
)

// handleVerifyStart serves POST /verify/forms/{form}/start: it leases the
// form's next document to the person and sends them to it, or back to
// the queues when nothing waits for them.
func (s *Server) handleVerifyStart(w http.ResponseWriter, r *http.Request, v *visit) error {
	return s.openNext(w, r, v, r.PathValue("form"))
}

// openNext leases the next document of the form to the visitor and
// answers 303 to it (to /verify?done=… when nothing waits for them).
func (s *Server) openNext(w http.ResponseWriter, r *http.Request, v *visit, formID string) error {
	next, err := s.nextURL(r, v, formID)
	if err != nil {
		return err
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// nextURL leases the next document of the form to the visitor and
// returns its station URL, or the queues' URL when nothing waits.
func (s *Server) nextURL(r *http.Request, v *visit, formID string) (string, error) {
	lease, err := s.Leases.LeaseNext(r.Context(), v.Org.ID, formID, v.User.ID, s.now().Add(inkform.DefaultLeaseTTL))
	switch {
	case inkform.ErrorCode(err) == inkform.ENOTFOUND:
		return "/verify?done=" + formID, nil
	case err != nil:
		return "", err
	}
	return "/verify/documents/" + lease.DocumentID, nil
}
