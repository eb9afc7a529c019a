package ui

import (
	"context"
	"crypto/rand"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/passwd"
)

// SSO is sign-in through an OpenID Connect provider (docs/ui.md). A person
// it signs in is the user of Orgs with the provider's verified e-mail
// address; a person none of them has is made a user of the first with
// Role, or refused when Role is empty. People signed in this way skip the
// second factor: their provider asks for its own.
type SSO struct {
	Provider inkform.SingleSignOn
	Orgs     []string     // org IDs, at least one
	Role     inkform.Role // for people the orgs do not know; "": refuse them
	// Domains, when set, are the only e-mail domains (lower case) the
	// provider may sign in.
	Domains []string
}

// The single sign-on cookie carries a round trip's state, nonce and PKCE
// verifier, signed, for ssoAge: long enough to type a password and do the
// provider's own second factor.
const (
	ssoCookie = "inkform_sso"
	ssoAge    = 10 * time.Minute
)

// ssoTrip is one round trip to the provider.
type ssoTrip struct {
	State, Nonce, Verifier string
	End                    time.Time
}

// randomText returns n random bytes in base64url.
func randomText(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand does not fail on supported platforms
	return b64.EncodeToString(b)
}

// setTrip starts a round trip: a new state, nonce and verifier in a
// signed cookie.
func (s *Server) setTrip(w http.ResponseWriter, r *http.Request) *ssoTrip {
	t := &ssoTrip{State: randomText(24), Nonce: randomText(24), Verifier: randomText(32), End: s.now().Add(ssoAge)}
	msg := strings.Join([]string{t.State, t.Nonce, t.Verifier, strconv.FormatInt(t.End.Unix(), 10)}, "|")
	s.setCookie(w, r, ssoCookie, b64.EncodeToString([]byte(msg))+"."+mac(s.authInit().ssoKey, msg), ssoAge)
	return t
}

// findTrip returns the request's round trip, nil when its cookie is
// missing, forged or expired.
func (s *Server) findTrip(r *http.Request) *ssoTrip {
	c, err := r.Cookie(s.cookieName(r, ssoCookie))
	if err != nil || len(c.Value) > 1024 {
		return nil
	}
	enc, sig, ok := strings.Cut(c.Value, ".")
	raw, err := b64.DecodeString(enc)
	if !ok || err != nil || !equal(sig, mac(s.authInit().ssoKey, string(raw))) {
		return nil
	}
	f := strings.Split(string(raw), "|")
	if len(f) != 4 {
		return nil
	}
	end, err := strconv.ParseInt(f[3], 10, 64)
	if err != nil || !s.now().Before(time.Unix(end, 0)) {
		return nil
	}
	return &ssoTrip{State: f[0], Nonce: f[1], Verifier: f[2], End: time.Unix(end, 0)}
}

// maxUsedStates bounds the states a node remembers; past it, the expired
// ones are forgotten first and, in a flood, all (the provider's codes are
// single-use anyway).
const maxUsedStates = 10000

// usedStates are the round trips this node finished, until they expire,
// so a callback replayed with the same cookie is refused without asking
// the provider.
type usedStates struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

// spend marks state used and reports whether it was not before.
func (u *usedStates) spend(state string, end, now time.Time) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if _, ok := u.seen[state]; ok {
		return false
	}
	if len(u.seen) >= maxUsedStates {
		for k, e := range u.seen {
			if !now.Before(e) {
				delete(u.seen, k)
			}
		}
		if len(u.seen) >= maxUsedStates {
			clear(u.seen)
		}
	}
	u.seen[state] = end
	return true
}

// ssoUser returns the user the identity signs in: the first of the
// mapped orgs' users with its address (ignoring case), else a new user of
// the first org (created) when the operator gave a role for new people.
// nil (and no error) refuses the person.
func (s *Server) ssoUser(ctx context.Context, id *inkform.Identity) (u *inkform.User, created bool, err error) {
	// The address as inkform.NormalizeUser keeps it, so that another
	// spelling finds the user and makes no second one.
	email := strings.ToLower(strings.TrimSpace(id.Email))
	users, err := s.Users.FindUsersByEmail(ctx, email)
	if err != nil {
		return nil, false, err
	}
	for _, org := range s.SSO.Orgs {
		for _, u := range users {
			if u.OrgID == org {
				return u, false, nil
			}
		}
	}
	if s.SSO.Role == "" {
		return nil, false, nil
	}
	// Nobody knows this password: the person signs in through the
	// provider, and an admin can still give them one.
	hash, err := passwd.Hash(randomText(32), passwd.DefaultParams)
	if err != nil {
		return nil, false, err
	}
	u = &inkform.User{OrgID: s.SSO.Orgs[0], Email: email, Name: cut(strings.TrimSpace(id.Name), inkform.MaxUserNameLength),
		Role: s.SSO.Role, PasswordHash: hash}
	// Checked like every other new user: an address inkform would not
	// take from an admin (EINVALID) makes no user here either.
	if err := inkform.NormalizeUser(u); err != nil {
		return nil, false, err
	}
	if err := s.Users.CreateUser(ctx, u); err != nil {
		return nil, false, err
	}
	return u, true, nil
}

// cut shortens s to at most n bytes without splitting a character.
func cut(s string, n int) string {
	for len(s) > n {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// domainAllowed reports whether the address's domain is one of
// s.SSO.Domains, or whether there are none.
func (s *Server) domainAllowed(email string) bool {
	if len(s.SSO.Domains) == 0 {
		return true
	}
	_, domain, _ := strings.Cut(strings.ToLower(email), "@")
	for _, d := range s.SSO.Domains {
		if domain == d {
			return true
		}
	}
	return false
}
