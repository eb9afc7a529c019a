package ui

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/passwd"
)

// accountsView is what the API tokens and users pages show.
type accountsView struct {
	Roles []inkform.Role // the roles a token or user may be given

	// The tokens pages: the list, the new-token form typed back after an
	// error, the token just made with its secret (shown this once) or
	// the token whose revocation is to be confirmed.
	Tokens   []tokenRow
	NewToken tokenForm
	Token    *inkform.Token
	Secret   string
	Tomorrow string // the earliest expiry date the form accepts

	// The users pages: the list, the new-user form typed back after an
	// error, one user, and a password made for a user, shown this once.
	Users    []userRow
	NewUser  userForm
	User     *userRow
	Password string
	Self     bool // the user shown is the visitor
}

// accountRoutes lists the pages that manage who may use inkform: API
// tokens and users (docs/ui.md).
func (s *Server) accountRoutes() []route {
	return []route{
		{"GET /tokens", s.tokens(s.handleTokenList)},
		{"POST /tokens", s.tokens(s.handleTokenCreate)},
		{"GET /tokens/{id}/revoke", s.tokens(s.handleTokenRevokeConfirm)},
		{"POST /tokens/{id}/revoke", s.tokens(s.handleTokenRevoke)},
		{"GET /admin/users", s.signedIn(inkform.PermUsersManage, s.handleUserList)},
		{"POST /admin/users", s.signedIn(inkform.PermUsersManage, s.handleUserCreate)},
		{"GET /admin/users/{id}", s.signedIn(inkform.PermUsersManage, s.handleUserShow)},
		{"POST /admin/users/{id}", s.signedIn(inkform.PermUsersManage, s.handleUserUpdate)},
	}
}

// tokens is signedIn for the API tokens pages, which need the token
// service.
func (s *Server) tokens(h pageHandler) http.Handler {
	return s.signedIn(inkform.PermTokensManage, func(w http.ResponseWriter, r *http.Request, v *visit) error {
		if !s.hasTokens() {
			s.problem(w, r, v, http.StatusServiceUnavailable, "API tokens are not set up on this server.")
			return nil
		}
		return h(w, r, v)
	})
}

// newPassword returns a random password for a new user or a reset: 20
// characters of an alphabet without look-alikes (about 100 bits), easy
// to read out and type once.
func newPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	for i := range b {
		b[i] = alphabet[randIndex(len(alphabet))]
	}
	return string(b)
}

// randIndex returns a uniformly random index below n (n ≤ 256).
func randIndex(n int) int {
	var c [1]byte
	for {
		_, _ = rand.Read(c[:]) // crypto/rand does not fail on supported platforms
		// Rejecting the bytes past the last whole multiple of n keeps
		// every index equally likely.
		if int(c[0]) < 256-256%n {
			return int(c[0]) % n
		}
	}
}

// hashPassword hashes a password the console made, with the password
// check's slots bounding the memory argon2id takes.
func (s *Server) hashPassword(ctx context.Context, password string) (string, error) {
	select {
	case s.checks <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-s.checks }()
	p := passwd.DefaultParams
	if s.passwordParams != nil {
		p = *s.passwordParams
	}
	hash, err := passwd.Hash(password, p)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return hash, nil
}

// tomorrow returns the day after t's (UTC) as a date input writes it.
func tomorrow(t time.Time) string {
	return t.UTC().AddDate(0, 0, 1).Format(time.DateOnly)
}
