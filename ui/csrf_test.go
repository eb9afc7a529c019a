package ui

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// TestLoginToken: the sign-in form's token is good only with the nonce
// cookie it was made for, under the key that made it.
func TestLoginToken(t *testing.T) {
	t.Parallel()
	s := &Server{Key: []byte("a secret every node shares")}
	s.init()
	same := &Server{Key: []byte("a secret every node shares")} // another node
	same.init()
	other := &Server{Key: []byte("another deployment's secret")}
	other.init()
	nonce, otherNonce := newNonce(), newNonce()
	for _, c := range []struct {
		name   string
		cookie string // "" for none
		token  string
		want   bool
	}{
		{"its own nonce", nonce, s.loginToken(nonce), true},
		{"made by another node with the key", nonce, same.loginToken(nonce), true},
		{"no cookie", "", s.loginToken(nonce), false},
		{"no token", nonce, "", false},
		{"another nonce's token", nonce, s.loginToken(otherNonce), false},
		{"another key's token", nonce, other.loginToken(nonce), false},
		{"the nonce as its own token", nonce, nonce, false},
		{"a nonce that is not one", "short", s.loginToken("short"), false},
		{"a token cut short", nonce, s.loginToken(nonce)[:20], false},
	} {
		form := url.Values{csrfField: {c.token}}
		r := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if c.cookie != "" {
			r.Header.Set("Cookie", loginCookie+"="+c.cookie)
		}
		if got := s.checkLoginToken(r); got != c.want {
			t.Errorf("%s: checkLoginToken = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestSessionCSRF: a session's token is stable for the session, differs
// between sessions, and is not the session token or its stored hash.
func TestSessionCSRF(t *testing.T) {
	t.Parallel()
	a, b := inkform.NewSessionToken(), inkform.NewSessionToken()
	first, again := sessionCSRF(a), sessionCSRF(a)
	if first != again {
		t.Error("a session's CSRF token changes")
	}
	if sessionCSRF(a) == sessionCSRF(b) {
		t.Error("two sessions share a CSRF token")
	}
	if tok := sessionCSRF(a); tok == a || tok == inkform.HashSessionToken(a) || strings.Contains(tok, a) || len(tok) < 40 {
		t.Errorf("CSRF token %q reveals the session or is short", tok)
	}
}

// TestDeriveKey: keys for different purposes differ, and none is the
// secret.
func TestDeriveKey(t *testing.T) {
	t.Parallel()
	secret := []byte("0123456789abcdef0123456789abcdef")
	x, y := deriveKey(secret, "x"), deriveKey(secret, "y")
	if string(x) == string(y) || string(x) == string(secret) || len(x) != 32 {
		t.Errorf("derived keys %x and %x of %x", x, y, secret)
	}
}
