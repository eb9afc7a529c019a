package ui

import (
	"crypto/rand"
	"net/http"
	"net/url"

	"github.com/inkform/inkform"
)

// handleTabletShow serves GET /f/{form}: the form's current version,
// empty, on its first page, with a fresh idempotency key so that a double
// tap on Submit makes one document.
func (s *Server) handleTabletShow(w http.ResponseWriter, r *http.Request, v *visit) error {
	form, err := s.tabletForm(w, r, v)
	if form == nil || err != nil {
		return err
	}
	s.showTablet(w, r, v, http.StatusOK, newTabletView(form, url.Values{}, nil, 1, newSubmissionKey()), "")
	return nil
}

// tabletForm finds the path's form in the visitor's org. A form the org
// does not have gets a 404 page, and nil with no error.
func (s *Server) tabletForm(w http.ResponseWriter, r *http.Request, v *visit) (*inkform.Form, error) {
	form, err := s.Forms.FindForm(r.Context(), v.Org.ID, r.PathValue("form"))
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		s.problem(w, r, v, http.StatusNotFound, "There is no such form. It may have been deleted, or the link is wrong.")
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if len(form.Pages) == 0 {
		s.problem(w, r, v, http.StatusUnprocessableEntity, "This form has no pages to fill in.")
		return nil, nil
	}
	return form, nil
}

// showTablet renders the tablet form; message, when set, is shown as an
// alert above it.
func (s *Server) showTablet(w http.ResponseWriter, r *http.Request, v *visit, status int, tv *tabletView, message string) {
	if message == "" && tv.Problems > 0 {
		message = "Some answers need attention; they are marked below."
		if tv.Problems == 1 {
			message = "One answer needs attention; it is marked below."
		}
	}
	s.render(w, r, status, "tablet", &view{Title: tv.Form.Name, Visit: v, CSRF: v.CSRF, Error: message, Tablet: tv})
}

// newSubmissionKey returns a random idempotency key for one filling of a
// form: 128 bits in base64url, within inkform.ClientIDProblem's rules.
func newSubmissionKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand does not fail on supported platforms
	return "tablet-" + b64.EncodeToString(b[:])
}
