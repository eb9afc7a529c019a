package ui

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
)

// csrfField is the name of the hidden form field that carries the CSRF
// token on every form that changes something.
const csrfField = "csrf"

// csrfHeader carries the CSRF token of the station's fetch() requests,
// whose bodies are JSON. A page of another site cannot set it on a
// cross-origin request without a CORS preflight, which the server never
// grants.
const csrfHeader = "X-CSRF-Token"

// b64 encodes tokens for cookies and form fields as they are.
var b64 = base64.RawURLEncoding

// deriveKey returns a key for one purpose from a secret that may serve
// others (HMAC-SHA256 keyed by the secret over the purpose), so that no two
// uses share a key.
func deriveKey(secret []byte, purpose string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(purpose))
	return m.Sum(nil)
}

// mac returns base64url(HMAC-SHA256(key, msg)).
func mac(key []byte, msg string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return b64.EncodeToString(m.Sum(nil))
}

// equal compares two tokens in constant time.
func equal(a, b string) bool { return hmac.Equal([]byte(a), []byte(b)) }

// Before sign-in there is no session to tie a token to, so the sign-in form
// uses a signed double-submit cookie: the cookie holds a random nonce, the
// form the nonce's MAC under the server's key. A forged post from another
// site cannot read the cookie to compute the MAC, and cannot plant a nonce
// of its own with a matching MAC without the key. The __Host- prefix (under
// HTTPS) stops a sibling subdomain from planting the cookie at all.

// newNonce returns a fresh random nonce for the sign-in cookie.
func newNonce() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand does not fail on supported platforms
	return b64.EncodeToString(b[:])
}

// loginToken returns the sign-in form's token for the cookie's nonce.
func (s *Server) loginToken(nonce string) string { return mac(s.csrfKey, "sign-in\x00"+nonce) }

// loginNonce returns the request's sign-in nonce, or "" when it has none
// that could have come from this server.
func (s *Server) loginNonce(r *http.Request) string {
	c, err := r.Cookie(s.cookieName(r, loginCookie))
	if err != nil {
		return ""
	}
	if raw, err := b64.DecodeString(c.Value); err != nil || len(raw) != 32 {
		return ""
	}
	return c.Value
}

// checkLoginToken reports whether the posted sign-in form carries the
// token of the request's nonce cookie.
func (s *Server) checkLoginToken(r *http.Request) bool {
	nonce := s.loginNonce(r)
	return nonce != "" && equal(r.PostFormValue(csrfField), s.loginToken(nonce))
}

// sessionCSRF returns the CSRF token of a session: a MAC keyed by the
// session's token, which only the browser's cookie and this request hold.
// It needs no storage, is the same on every node and changes with every
// sign-in; knowing it reveals nothing of the session token.
func sessionCSRF(sessionToken string) string { return mac([]byte(sessionToken), "inkform ui csrf v1") }
