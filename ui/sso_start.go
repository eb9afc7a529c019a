package ui

import "net/http"

// handleSSOStart serves GET /login/sso: the start of a sign-in through
// the identity provider (authorization code flow with PKCE). The state,
// nonce and verifier go into a signed cookie, the browser to the
// provider.
func (s *Server) handleSSOStart(w http.ResponseWriter, r *http.Request) {
	if s.SSO == nil {
		s.problem(w, r, nil, http.StatusNotFound, "Single sign-on is not set up on this server.")
		return
	}
	t := s.setTrip(w, r)
	u, err := s.SSO.Provider.AuthURL(r.Context(), t.State, t.Nonce, t.Verifier)
	if err != nil {
		// Most likely the provider cannot be reached: the operator's
		// problem, told to the person as a temporary one.
		s.Logger.ErrorContext(r.Context(), "single sign-on not started", "err", err)
		s.problem(w, r, nil, http.StatusBadGateway, s.SSO.Provider.Name()+" cannot be reached just now. Try again in a moment, or sign in with your password.")
		return
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}
