package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/inkform/inkform"
)

// CreateToken creates an API token. Only the SHA-256 of the secret is
// stored; the secret is returned once.
func (db *DB) CreateToken(ctx context.Context, orgID string, role inkform.Role, name string) (*inkform.Token, string, error) {
	return db.CreateTokenUntil(ctx, orgID, role, name, time.Time{})
}

// CreateTokenUntil is CreateToken for a token that expires at expiresAt
// (zero: never).
func (db *DB) CreateTokenUntil(ctx context.Context, orgID string, role inkform.Role, name string, expiresAt time.Time) (*inkform.Token, string, error) {
	if !role.Valid() {
		return nil, "", inkform.Errorf(inkform.EINVALID, "unknown role %q", role)
	}
	now := db.now()
	if !expiresAt.IsZero() && !expiresAt.After(now) {
		return nil, "", inkform.Errorf(inkform.EINVALID, "a token's expiry must be in the future")
	}
	if _, err := db.FindOrgByID(ctx, orgID); err != nil {
		return nil, "", err
	}
	secret := inkform.NewTokenSecret()
	t := &inkform.Token{
		ID: inkform.NewID(), OrgID: orgID, Name: strings.TrimSpace(name), Role: role,
		Hint: inkform.TokenHint(secret), CreatedAt: now, ExpiresAt: expiresAt,
	}
	_, err := db.writer().exec(ctx, `INSERT INTO tokens (id, org_id, name, role, hash, hint, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.OrgID, t.Name, string(t.Role), inkform.HashTokenSecret(secret), t.Hint, micros(t.CreatedAt), zeroMicros(t.ExpiresAt))
	if err != nil {
		return nil, "", fmt.Errorf("create token: %w", err)
	}
	return t, secret, nil
}

// Authenticate finds a token by the hash of its secret. The lookup is by
// hash, so the comparison leaks nothing about stored secrets.
func (db *DB) Authenticate(ctx context.Context, secret string) (*inkform.Token, error) {
	if !strings.HasPrefix(secret, inkform.TokenPrefix) {
		return nil, inkform.Errorf(inkform.EUNAUTHORIZED, "unknown token")
	}
	t, err := scanToken(db.reader(ctx).queryRow(ctx, "SELECT "+tokenColumns+" FROM tokens WHERE hash = ?",
		inkform.HashTokenSecret(secret)))
	if err != nil {
		if inkform.ErrorCode(notFound(err, "token")) == inkform.ENOTFOUND {
			return nil, inkform.Errorf(inkform.EUNAUTHORIZED, "unknown token")
		}
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	if !t.Live(db.now()) {
		return nil, inkform.Errorf(inkform.EUNAUTHORIZED, "the token has expired")
	}
	return t, nil
}

// ListTokens lists an org's tokens, oldest first.
func (db *DB) ListTokens(ctx context.Context, orgID string) ([]*inkform.Token, error) {
	rows, err := db.reader(ctx).query(ctx, "SELECT "+tokenColumns+" FROM tokens WHERE org_id = ? ORDER BY id", orgID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	out := []*inkform.Token{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return out, nil
}

// tokenColumns are the columns scanToken reads, in its order.
const tokenColumns = "id, org_id, name, role, hint, created_at, expires_at"

// scanToken reads a row of tokenColumns.
func scanToken(sc interface{ Scan(...any) error }) (*inkform.Token, error) {
	var t inkform.Token
	var role string
	var created, expires int64
	if err := sc.Scan(&t.ID, &t.OrgID, &t.Name, &role, &t.Hint, &created, &expires); err != nil {
		return nil, err
	}
	t.Role, t.CreatedAt = inkform.Role(role), fromMicros(created)
	if expires != 0 {
		t.ExpiresAt = fromMicros(expires)
	}
	return &t, nil
}

// DeleteToken revokes a token of the org.
func (db *DB) DeleteToken(ctx context.Context, orgID, id string) error {
	res, err := db.writer().exec(ctx, "DELETE FROM tokens WHERE org_id = ? AND id = ?", orgID, id)
	if err != nil {
		return fmt.Errorf("delete token: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("delete token: %w", err)
	} else if n == 0 {
		return inkform.Errorf(inkform.ENOTFOUND, "token not found")
	}
	return nil
}

// CreateUser stores a user whose password is already hashed. The e-mail
// address is compared as given; callers normalise it (lower case) first.
func (db *DB) CreateUser(ctx context.Context, u *inkform.User) error {
	if u.Email == "" || u.PasswordHash == "" {
		return inkform.Errorf(inkform.EINVALID, "a user needs an e-mail address and a password")
	}
	if !u.Role.Valid() {
		return inkform.Errorf(inkform.EINVALID, "unknown role %q", u.Role)
	}
	if _, err := db.FindOrgByID(ctx, u.OrgID); err != nil {
		return err
	}
	if u.ID == "" {
		u.ID = inkform.NewID()
	}
	u.CreatedAt = db.now()
	_, err := db.writer().exec(ctx, `INSERT INTO users (id, org_id, email, name, role, password_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.OrgID, u.Email, u.Name, string(u.Role), u.PasswordHash, micros(u.CreatedAt))
	if isUniqueViolation(err) {
		return inkform.Errorf(inkform.ECONFLICT, "a user with the e-mail address %s exists", u.Email)
	} else if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	return nil
}

// userColumns are the columns scanUser reads, in its order.
const userColumns = "id, org_id, email, name, role, password_hash, created_at, disabled_at"

// scanUser reads a row of userColumns.
func scanUser(sc interface{ Scan(...any) error }) (*inkform.User, error) {
	var u inkform.User
	var role string
	var created, disabled int64
	if err := sc.Scan(&u.ID, &u.OrgID, &u.Email, &u.Name, &role, &u.PasswordHash, &created, &disabled); err != nil {
		return nil, err
	}
	u.Role, u.CreatedAt, u.Disabled = inkform.Role(role), fromMicros(created), disabled != 0
	return &u, nil
}

// FindUserByEmail returns the org's user with the e-mail address.
func (db *DB) FindUserByEmail(ctx context.Context, orgID, email string) (*inkform.User, error) {
	u, err := scanUser(db.reader(ctx).queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE org_id = ? AND email = ?", orgID, email))
	if err != nil {
		return nil, notFound(err, "user")
	}
	return u, nil
}

// FindUserByID returns the org's user with the ID.
func (db *DB) FindUserByID(ctx context.Context, orgID, id string) (*inkform.User, error) {
	u, err := scanUser(db.reader(ctx).queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE org_id = ? AND id = ?", orgID, id))
	if err != nil {
		return nil, notFound(err, "user")
	}
	return u, nil
}

// FindUsersByEmail returns every org's users with the e-mail address,
// ignoring ASCII case, for sign-in. LOWER on the column cannot use the
// (org_id, email) index; the users table is small (people, not
// documents) and sign-in is rare and throttled, so a scan is cheap enough.
// On the primary: a user made a moment ago can sign in at once.
func (db *DB) FindUsersByEmail(ctx context.Context, email string) ([]*inkform.User, error) {
	rows, err := db.primary().query(ctx, "SELECT "+userColumns+" FROM users WHERE LOWER(email) = LOWER(?) ORDER BY id LIMIT ?",
		email, inkform.MaxUsersPerEmail)
	if err != nil {
		return nil, fmt.Errorf("find users by email: %w", err)
	}
	defer rows.Close()
	var out []*inkform.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("find users by email: %w", err)
		}
		// LOWER folds more than ASCII on some engines (not on SQLite); the
		// promise is ASCII case only, the same on every engine.
		if asciiLower(u.Email) == asciiLower(email) {
			out = append(out, u)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find users by email: %w", err)
	}
	return out, nil
}

// asciiLower lowers ASCII letters only, as SQLite's LOWER does.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// zeroMicros is micros, with the zero time as 0 (a column's "never").
func zeroMicros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return micros(t)
}
