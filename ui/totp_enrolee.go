package ui

import (
	"net/http"

	"github.com/inkform/inkform"
)

// enrolee is who may set up a second factor: a signed-in person, or one
// half signed in whose org requires a second factor they do not have yet.
type enrolee struct {
	Visit   *visit   // nil when half signed in
	Pending *pending // nil when signed in
	User    *inkform.User
	Org     *inkform.Org
	CSRF    string
}

// findEnrolee returns the request's enrolee, nil when it has none.
func (s *Server) findEnrolee(r *http.Request) (*enrolee, error) {
	v, err := s.visit(r)
	if err != nil {
		return nil, err
	}
	if v != nil {
		return &enrolee{Visit: v, User: v.User, Org: v.Org, CSRF: v.CSRF}, nil
	}
	p, err := s.findPending(r.Context(), r, pendingEnrol)
	if err != nil || p == nil {
		return nil, err
	}
	return &enrolee{Pending: p, User: p.User, Org: p.Org, CSRF: p.CSRF}, nil
}

// issuer is the name an authenticator app shows above the code: inkform
// and the org, for people with accounts in several.
func issuer(org *inkform.Org) string { return "inkform " + org.Name }

// enrolment answers what every enrolment page needs first: the enrolee,
// or a redirect to sign-in (false) when there is none or the server keeps
// no second factors.
func (s *Server) enrolment(w http.ResponseWriter, r *http.Request) (*enrolee, bool) {
	if s.TOTP == nil {
		s.problem(w, r, nil, http.StatusNotFound, "Second factors are not set up on this server.")
		return nil, false
	}
	e, err := s.findEnrolee(r)
	if err != nil {
		s.serverError(w, r, nil, err)
		return nil, false
	}
	if e == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil, false
	}
	return e, true
}
