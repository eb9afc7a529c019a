package inkform

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"strings"
	"time"
)

// Role is what a token or user may do within its org.
type Role string

// Roles. A gateway is a pen gateway: it may only submit ink.
const (
	RoleAdmin      Role = "admin"
	RoleDesigner   Role = "designer"
	RoleVerifier   Role = "verifier"
	RoleIntegrator Role = "integrator"
	RoleGateway    Role = "gateway"
)

// Roles lists every role, most powerful first. It returns a new slice on
// each call, so no caller can change the list for the others.
func Roles() []Role {
	return []Role{RoleAdmin, RoleDesigner, RoleVerifier, RoleIntegrator, RoleGateway}
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	_, ok := rolePermissions[r]
	return ok
}

// Permission names one kind of action that subscriptions check.
type Permission string

// Permissions.
const (
	PermFormsRead           Permission = "forms:read"
	PermFormsWrite          Permission = "forms:write"
	PermInkSubmit           Permission = "ink:submit"
	PermDigitalSubmit       Permission = "submissions:create"
	PermDocumentsRead       Permission = "documents:read"
	PermDocumentsVerify     Permission = "documents:verify"
	PermDocumentsDelete     Permission = "documents:delete"
	PermSubscriptionsManage Permission = "handlers:manage"
	PermQuarantine          Permission = "quarantine:manage"
	PermJobsManage          Permission = "jobs:manage"
	PermTokensManage        Permission = "tokens:manage"
	PermAuditRead           Permission = "audit:read"
	// PermUsersManage is the console's user administration: creating
	// users, changing their roles, disabling them and resetting their
	// passwords. The JSON API has no user routes; the CLI is the operator's.
	PermUsersManage Permission = "users:manage"
)

var rolePermissions = map[Role][]Permission{
	RoleAdmin: {PermFormsRead, PermFormsWrite, PermInkSubmit, PermDigitalSubmit,
		PermDocumentsRead, PermDocumentsVerify, PermDocumentsDelete, PermSubscriptionsManage,
		PermQuarantine, PermJobsManage, PermTokensManage, PermAuditRead, PermUsersManage},
	RoleDesigner:   {PermFormsRead, PermFormsWrite, PermDocumentsRead},
	RoleVerifier:   {PermFormsRead, PermDocumentsRead, PermDocumentsVerify},
	RoleIntegrator: {PermFormsRead, PermDigitalSubmit, PermDocumentsRead, PermDocumentsDelete, PermSubscriptionsManage},
	RoleGateway:    {PermInkSubmit},
}

// Can reports whether the role grants p.
func (r Role) Can(p Permission) bool {
	for _, q := range rolePermissions[r] {
		if q == p {
			return true
		}
	}
	return false
}

// TokenPrefix starts every API token, so that secret scanners and people
// recognise one.
const TokenPrefix = "ifk_"

// Token is an API token. Its secret is shown once at creation and stored
// only as a SHA-256 hash (the secret has 160 bits of entropy, so a fast hash
// is safe and keeps per-request authentication cheap).
type Token struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"-"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	Hint      string    `json:"hint"` // first characters of the secret, for people to tell tokens apart
	CreatedAt time.Time `json:"createdAt"`
	// ExpiresAt is when the token stops working; zero: never.
	ExpiresAt time.Time `json:"expiresAt,omitzero"`
}

// Live reports whether the token has not expired at t.
func (t *Token) Live(at time.Time) bool {
	return t.ExpiresAt.IsZero() || at.Before(t.ExpiresAt)
}

// NewTokenSecret returns a new random token secret with TokenPrefix.
func NewTokenSecret() string {
	var b [20]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return TokenPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// HashTokenSecret returns the hex SHA-256 of a token secret, as stored.
func HashTokenSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// TokenHint returns the part of a secret that may be shown again later.
func TokenHint(secret string) string {
	if len(secret) < len(TokenPrefix)+4 {
		return TokenPrefix
	}
	return secret[:len(TokenPrefix)+4]
}

// TokenService manages API tokens.
type TokenService interface {
	// CreateToken creates a token and returns it with its secret, which
	// is not stored and cannot be shown again.
	CreateToken(ctx context.Context, orgID string, role Role, name string) (*Token, string, error)
	// CreateTokenUntil is CreateToken for a token that expires at
	// expiresAt (zero: never; a time already past → EINVALID).
	CreateTokenUntil(ctx context.Context, orgID string, role Role, name string, expiresAt time.Time) (*Token, string, error)
	// Authenticate finds the token whose secret this is; EUNAUTHORIZED
	// when none is or it has expired.
	Authenticate(ctx context.Context, secret string) (*Token, error)
	// ListTokens lists an org's tokens.
	ListTokens(ctx context.Context, orgID string) ([]*Token, error)
	// DeleteToken revokes a token; ENOTFOUND when the org has no such token.
	DeleteToken(ctx context.Context, orgID, id string) error
}

// User is a person who signs in to the web UI with a password.
type User struct {
	ID           string    `json:"id"`
	OrgID        string    `json:"-"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	PasswordHash string    `json:"-"` // argon2id, PHC string format
	CreatedAt    time.Time `json:"createdAt"`
	// Disabled users cannot sign in; their sessions were ended when an
	// admin disabled them.
	Disabled bool `json:"disabled"`
}

// UserService manages users.
type UserService interface {
	// CreateUser stores a user whose PasswordHash is already set; an e-mail
	// address already used in the org → ECONFLICT.
	CreateUser(ctx context.Context, u *User) error
	// FindUserByEmail returns ENOTFOUND when the org has no such user.
	FindUserByEmail(ctx context.Context, orgID, email string) (*User, error)
	// FindUserByID returns ENOTFOUND when the org has no such user.
	FindUserByID(ctx context.Context, orgID, id string) (*User, error)
	// FindUsersByEmail returns the users of every org whose e-mail address
	// is email, ignoring ASCII case, at most MaxUsersPerEmail of them, in
	// no particular order; none is not an error. It is the one user lookup
	// not scoped by org: sign-in uses it to find the org from the address
	// a person types, and nothing else may.
	FindUsersByEmail(ctx context.Context, email string) ([]*User, error)
	// ListUsers lists an org's users, oldest first.
	ListUsers(ctx context.Context, orgID string) ([]*User, error)
	// UpdateUser applies the set fields of upd to the org's user and
	// returns the user as stored; ENOTFOUND when the org has no such user,
	// ECONFLICT (ErrLastAdmin) when the change would leave the org without
	// an enabled admin.
	UpdateUser(ctx context.Context, orgID, id string, upd UserUpdate) (*User, error)
}

// MaxUsersPerEmail bounds FindUsersByEmail: a person in more orgs than
// this names the org when signing in.
const MaxUsersPerEmail = 10

// Principal is who makes a request: a token's or a user's org and role.
type Principal struct {
	OrgID   string
	Role    Role
	TokenID string // set for token requests
	UserID  string // set for signed-in users
}

type principalKey struct{}

// NewContextWithPrincipal returns a context carrying p.
func NewContextWithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFromContext returns the principal of the request, or nil.
func PrincipalFromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}
