package ui

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"sync"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/passwd"
)

// Sign-in throttling, per node. Per account (the e-mail address as typed,
// whether or not anyone has it, so a refusal says nothing about who
// exists): five failures at once, then one a minute — a person who forgot
// the password is barely slowed, a guesser gets 1,440 tries a day at the
// very most. Per client address: twenty at once, then one every ten
// seconds, which stops one machine from trying many accounts while a
// clinic behind one NAT address still gets its typos through. Successes
// cost nothing.
const (
	accountBurst = 5
	accountEvery = time.Minute
	addressBurst = 20
	addressEvery = 10 * time.Second
)

// Limits of what the sign-in form may carry.
const (
	maxEmailLength = 320 // RFC 3696 with errata: 64 + 1 + 255
	maxOrgLength   = 500
)

// errSignIn is the one answer to every sign-in that fails on its
// credentials: an unknown address, a wrong password, an address that more
// than one org knows without the org named, all read the same, so the page
// reveals nothing of who has an account where.
var errSignIn = inkform.Errorf(inkform.EUNAUTHORIZED,
	"The e-mail address or password is not right. If your address belongs to more than one organization, name the organization too.")

// credentials are what a person typed into the sign-in form.
type credentials struct {
	Email    string
	Password string
	Org      string // an org's name, optional
}

// accountKey is the throttle key of the account the credentials name: the
// address alone, so that naming an org (or another) opens no new budget,
// normalised as inkform.NormalizeUser stores it, so that another spelling
// opens none either.
func (c credentials) accountKey() string { return strings.ToLower(strings.TrimSpace(c.Email)) }

// authenticate returns the user the credentials sign in, or errSignIn. The
// org comes from the address: FindUsersByEmail looks across orgs, and
// when more than one has the address the person names the org. A single
// candidate's password is checked; when there is none (or an unsettled
// choice) a dummy hash is checked instead, so the answer takes as long
// either way. checked is the user whose password was wrong, for the audit
// log (nil when there was none to check).
func (s *Server) authenticate(ctx context.Context, c credentials) (u, checked *inkform.User, err error) {
	users, err := s.Users.FindUsersByEmail(ctx, c.Email)
	if err != nil {
		return nil, nil, err
	}
	if c.Org != "" {
		org, err := s.Orgs.FindOrgByName(ctx, c.Org)
		if err != nil && inkform.ErrorCode(err) != inkform.ENOTFOUND {
			return nil, nil, err
		}
		users = inOrg(users, org)
	}
	var hash string
	if len(users) == 1 {
		hash = users[0].PasswordHash
	} else if hash, err = s.dummy.get(); err != nil {
		return nil, nil, err
	}
	ok, err := s.checkPassword(ctx, c.Password, hash)
	switch {
	case err != nil && len(users) == 1:
		// A stored hash that cannot be read is the operator's problem,
		// not the person's; log it and answer as for a wrong password.
		s.Logger.ErrorContext(ctx, "unreadable password hash", "user", users[0].ID, "err", err)
		return nil, users[0], errSignIn
	case err != nil:
		return nil, nil, err
	case len(users) != 1:
		return nil, nil, errSignIn
	case !ok:
		return nil, users[0], errSignIn
	case users[0].Disabled:
		// Refused after the check, so a disabled account answers as fast
		// and in the same words as a wrong password.
		return nil, nil, errSignIn
	}
	return users[0], nil, nil
}

// inOrg returns the users of org (none when org is nil).
func inOrg(users []*inkform.User, org *inkform.Org) []*inkform.User {
	var out []*inkform.User
	for _, u := range users {
		if org != nil && u.OrgID == org.ID {
			out = append(out, u)
		}
	}
	return out
}

// checkPassword verifies a password when a slot is free, so that at most
// PasswordWorkers argon2id checks (64 MiB each) run at once.
func (s *Server) checkPassword(ctx context.Context, password, hash string) (bool, error) {
	select {
	case s.checks <- struct{}{}:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-s.checks }()
	return passwd.Verify(password, hash)
}

// dummyHash is a hash of a random password with the default cost, made on
// first need: checking a password against it costs what a real check
// costs, and nothing matches it.
type dummyHash struct {
	once sync.Once
	hash string
	err  error
}

// get returns the hash, making it the first time.
func (d *dummyHash) get() (string, error) {
	d.once.Do(func() {
		var b [24]byte
		_, _ = rand.Read(b[:])
		d.hash, d.err = passwd.Hash(hex.EncodeToString(b[:]), passwd.DefaultParams)
	})
	return d.hash, d.err
}
