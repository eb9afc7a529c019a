package ui

import (
	"net/http"
	"time"
)

// Cookie names, before the __Host- prefix that secure cookies get.
const (
	sessionCookie = "inkform_session"
	loginCookie   = "inkform_signin"
)

// loginCookieAge is how long a sign-in form stays usable; a form left open
// longer is refused once and shown again with a fresh token.
const loginCookieAge = 12 * time.Hour

// secure reports whether the request's cookies are Secure: always under
// TLS, and when the operator says browsers use HTTPS (a proxy's TLS).
func (s *Server) secure(r *http.Request) bool { return s.SecureCookies || r.TLS != nil }

// cookieName returns a cookie's name for the request. A Secure cookie gets
// the __Host- prefix, which browsers accept only from HTTPS, for the whole
// host (Path=/) and without a Domain, so a sibling subdomain cannot set or
// overwrite it.
func (s *Server) cookieName(r *http.Request, name string) string {
	if s.secure(r) {
		return "__Host-" + name
	}
	return name
}

// setCookie sets a cookie that scripts cannot read and other sites' forms
// and subrequests do not carry; maxAge 0 makes it last until the browser
// closes, a negative one deletes it.
func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge time.Duration) {
	c := &http.Cookie{
		Name: s.cookieName(r, name), Value: value, Path: "/",
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode,
	}
	switch {
	case maxAge < 0:
		c.MaxAge = -1
	case maxAge > 0:
		c.MaxAge = int(maxAge / time.Second)
	}
	http.SetCookie(w, c)
}

// clearCookie deletes a cookie.
func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	s.setCookie(w, r, name, "", -1)
}
