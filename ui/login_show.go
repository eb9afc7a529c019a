package ui

import "net/http"

// Notices the sign-in page shows after a sign-out, named by its query.
var signedOutNotices = map[string]string{
	"1":          "You have signed out.",
	"everywhere": "You have signed out on every device.",
}

// handleLoginShow serves GET /login: the sign-in form, or the console for
// someone already signed in.
func (s *Server) handleLoginShow(w http.ResponseWriter, r *http.Request) {
	v, err := s.visit(r)
	if err != nil {
		s.serverError(w, r, nil, err)
		return
	}
	if v != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.showLogin(w, r, http.StatusOK, &view{Notice: signedOutNotices[r.URL.Query().Get("signed_out")]})
}

// showLogin renders the sign-in form with a CSRF token. The nonce cookie
// is kept when the browser has one, so two tabs of the form both work,
// and renewed otherwise.
func (s *Server) showLogin(w http.ResponseWriter, r *http.Request, status int, page *view) {
	nonce := s.loginNonce(r)
	if nonce == "" {
		nonce = newNonce()
	}
	s.setCookie(w, r, loginCookie, nonce, loginCookieAge)
	page.Title = "Sign in"
	page.CSRF = s.loginToken(nonce)
	if s.SSO != nil {
		page.Auth = &authView{SSOName: s.SSO.Provider.Name()}
	}
	s.render(w, r, status, "login", page)
}
