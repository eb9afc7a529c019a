package ui

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/throttle"
)

// handleLoginSubmit serves POST /login: the form's email and password (and
// optional org) with its CSRF token. A good sign-in answers 303 to the
// console with the session cookie set (or to the second factor's page,
// see passwordAccepted); anything else shows the form again
// with a message that tells nothing of who has an account.
func (s *Server) handleLoginSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.showLogin(w, r, http.StatusBadRequest, &view{Error: "The form could not be read. Try again."})
		return
	}
	c := credentials{
		Email:    strings.TrimSpace(r.PostFormValue("email")),
		Password: r.PostFormValue("password"),
		Org:      strings.TrimSpace(r.PostFormValue("org")),
	}
	again := &view{Email: c.Email, Org: c.Org}
	if !s.checkLoginToken(r) {
		again.Error = "The sign-in form had expired or did not come from this page. Please sign in again."
		s.showLogin(w, r, http.StatusForbidden, again)
		return
	}
	if c.Email == "" || c.Password == "" || len(c.Email) > maxEmailLength || len(c.Org) > maxOrgLength {
		again.Error = "Enter your e-mail address and your password."
		s.showLogin(w, r, http.StatusUnprocessableEntity, again)
		return
	}
	address := throttle.AddressKey(throttle.ClientAddr(r, s.TrustedProxies))
	try, wait := startAttempt(budget{s.byAddress, address}, budget{s.byAccount, c.accountKey()})
	if try == nil {
		setRetryAfter(w, wait)
		again.Error = "Too many failed sign-ins. Wait " + waitText(wait) + " and try again."
		s.showLogin(w, r, http.StatusTooManyRequests, again)
		return
	}
	defer try.done()
	u, checked, err := s.authenticate(r.Context(), c)
	if err == errSignIn {
		try.fail()
		if checked != nil {
			s.audit(r, checked, "anonymous", inkform.AuditUserSignInFail, "wrong password from "+address)
		}
		again.Error = errSignIn.Message
		s.showLogin(w, r, http.StatusOK, again)
		return
	} else if err != nil {
		s.serverError(w, r, nil, err)
		return
	}
	s.passwordAccepted(w, r, u, address)
}

// waitText says a wait in words, rounded up to what a person acts on.
func waitText(d time.Duration) string {
	switch {
	case d <= time.Second:
		return "a second"
	case d < time.Minute:
		return fmt.Sprintf("%d seconds", int((d+time.Second-1)/time.Second))
	case d <= time.Minute:
		return "a minute"
	case d == time.Hour:
		return "an hour"
	case d > time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%d hours", int(d/time.Hour))
	}
	return fmt.Sprintf("%d minutes", int((d+time.Minute-1)/time.Minute))
}
