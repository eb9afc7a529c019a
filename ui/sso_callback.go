package ui

import (
	"net/http"
	"regexp"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/throttle"
)

// providerError is what of the provider's error code a page repeats.
var providerError = regexp.MustCompile(`^[a-z_]{1,40}$`)

// handleSSOCallback serves GET /login/sso/callback: the provider sends
// the browser back with a code and the state. The state must be the
// cookie's, unused; the ID token must verify, carry the cookie's nonce
// and a verified e-mail address of an allowed domain; the address must
// be a user's of a mapped org (or one is made). Then it is a session like
// any other, without a second factor.
func (s *Server) handleSSOCallback(w http.ResponseWriter, r *http.Request) {
	if s.SSO == nil {
		s.problem(w, r, nil, http.StatusNotFound, "Single sign-on is not set up on this server.")
		return
	}
	name := s.SSO.Provider.Name()
	trip := s.findTrip(r)
	s.clearCookie(w, r, ssoCookie)
	q := r.URL.Query()
	if trip == nil || !equal(q.Get("state"), trip.State) || !s.authInit().used.spend(trip.State, trip.End, s.now()) {
		s.problem(w, r, nil, http.StatusBadRequest, "The sign-in through "+name+" expired, was used already or did not start here. Please try again.")
		return
	}
	if e := q.Get("error"); e != "" {
		if !providerError.MatchString(e) {
			e = "an error"
		}
		s.problem(w, r, nil, http.StatusForbidden, name+" did not sign you in (it answered "+e+").")
		return
	}
	id, err := s.SSO.Provider.Exchange(r.Context(), q.Get("code"), trip.Verifier, trip.Nonce)
	if inkform.ErrorCode(err) == inkform.EUNAUTHORIZED {
		s.Logger.WarnContext(r.Context(), "single sign-on refused", "err", err)
		s.problem(w, r, nil, http.StatusForbidden, name+" could not confirm who you are. Please try again.")
		return
	} else if err != nil {
		s.serverError(w, r, nil, err)
		return
	}
	switch {
	case id.Email == "" || !id.EmailVerified:
		s.problem(w, r, nil, http.StatusForbidden, name+" has not verified your e-mail address, and inkform signs people in by a verified address only. Verify it with "+name+" first, or sign in with your password.")
		return
	case !s.domainAllowed(id.Email):
		s.problem(w, r, nil, http.StatusForbidden, "Addresses like "+id.Email+" may not sign in through "+name+" here.")
		return
	}
	u, created, err := s.ssoUser(r.Context(), id)
	if inkform.ErrorCode(err) == inkform.EINVALID {
		s.problem(w, r, nil, http.StatusForbidden, "inkform cannot make an account for the address "+id.Email+" that "+name+" gave. Ask your administrator to add you.")
		return
	} else if err != nil {
		s.serverError(w, r, nil, err)
		return
	}
	if u == nil {
		s.problem(w, r, nil, http.StatusForbidden, "inkform has no account for "+id.Email+". Ask your administrator to add you.")
		return
	}
	if u.Disabled {
		s.Logger.WarnContext(r.Context(), "single sign-on of a disabled user refused", "user", u.ID)
		s.problem(w, r, nil, http.StatusForbidden, "The account of "+id.Email+" is disabled. Ask your administrator.")
		return
	}
	if created {
		s.audit(r, u, "sso", inkform.AuditUserCreateSSO, "through "+name)
	}
	address := throttle.AddressKey(throttle.ClientAddr(r, s.TrustedProxies))
	s.signInDone(w, r, u, inkform.AuditUserSignInSSO, "through "+name+" from "+address)
}
