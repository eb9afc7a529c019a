package fake

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/inkform/inkform"
)

var _ inkform.TokenService = (*Tokens)(nil)

// Tokens is an in-memory TokenService. Like sqlstore it keeps only the hash
// of each secret.
type Tokens struct {
	Hook Hook

	mu     sync.Mutex
	byHash map[string]*inkform.Token
}

// CreateToken implements inkform.TokenService.
func (f *Tokens) CreateToken(ctx context.Context, orgID string, role inkform.Role, name string) (*inkform.Token, string, error) {
	if err := f.Hook.call("CreateToken", orgID, role, name); err != nil {
		return nil, "", err
	}
	return f.create(orgID, role, name, time.Time{})
}

// CreateTokenUntil implements inkform.TokenService.
func (f *Tokens) CreateTokenUntil(ctx context.Context, orgID string, role inkform.Role, name string, expiresAt time.Time) (*inkform.Token, string, error) {
	if err := f.Hook.call("CreateTokenUntil", orgID, role, name, expiresAt); err != nil {
		return nil, "", err
	}
	return f.create(orgID, role, name, expiresAt)
}

// create makes a token for CreateToken and CreateTokenUntil.
func (f *Tokens) create(orgID string, role inkform.Role, name string, expiresAt time.Time) (*inkform.Token, string, error) {
	if !role.Valid() {
		return nil, "", inkform.Errorf(inkform.EINVALID, "unknown role %q", role)
	}
	created := now()
	if !expiresAt.IsZero() && !expiresAt.After(created) {
		return nil, "", inkform.Errorf(inkform.EINVALID, "a token's expiry must be in the future")
	}
	secret := inkform.NewTokenSecret()
	t := &inkform.Token{ID: inkform.NewID(), OrgID: orgID, Name: strings.TrimSpace(name), Role: role,
		Hint: inkform.TokenHint(secret), CreatedAt: created, ExpiresAt: expiresAt}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.byHash == nil {
		f.byHash = map[string]*inkform.Token{}
	}
	f.byHash[inkform.HashTokenSecret(secret)] = t
	c := *t
	return &c, secret, nil
}

// Authenticate implements inkform.TokenService.
func (f *Tokens) Authenticate(ctx context.Context, secret string) (*inkform.Token, error) {
	// The secret is not passed to the hook: tests have no need of it, and
	// a recorded secret is one more copy to leak.
	if err := f.Hook.call("Authenticate"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.byHash[inkform.HashTokenSecret(secret)]
	if !ok {
		return nil, inkform.Errorf(inkform.EUNAUTHORIZED, "unknown token")
	}
	if !t.Live(time.Now()) {
		return nil, inkform.Errorf(inkform.EUNAUTHORIZED, "the token has expired")
	}
	c := *t
	return &c, nil
}

// ListTokens implements inkform.TokenService, oldest first.
func (f *Tokens) ListTokens(ctx context.Context, orgID string) ([]*inkform.Token, error) {
	if err := f.Hook.call("ListTokens", orgID); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	out := []*inkform.Token{}
	for _, t := range f.byHash {
		if t.OrgID == orgID {
			c := *t
			out = append(out, &c)
		}
	}
	slices.SortFunc(out, func(a, b *inkform.Token) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// DeleteToken implements inkform.TokenService.
func (f *Tokens) DeleteToken(ctx context.Context, orgID, id string) error {
	if err := f.Hook.call("DeleteToken", orgID, id); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for h, t := range f.byHash {
		if t.ID == id && t.OrgID == orgID {
			delete(f.byHash, h)
			return nil
		}
	}
	return notFound("token")
}
