package inkform

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"time"
)

// Session is a person's sign-in to the web UI, kept on the server. The
// browser holds only a random token in a cookie; the store keeps the
// token's SHA-256 (HashSessionToken), so a copy of the database signs no
// one in. A session ends at whichever comes first: IdleExpiresAt, which
// each use pushes forward (TouchSession), or ExpiresAt, which never moves.
type Session struct {
	ID            string
	OrgID         string
	UserID        string
	CreatedAt     time.Time
	LastSeenAt    time.Time
	IdleExpiresAt time.Time // never after ExpiresAt
	ExpiresAt     time.Time
}

// Live reports whether the session has not yet expired at t.
func (s *Session) Live(t time.Time) bool {
	return t.Before(s.IdleExpiresAt) && t.Before(s.ExpiresAt)
}

// NewSessionToken returns a new random session token: 256 bits, in
// base64url so that it fits a cookie as is.
func NewSessionToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// HashSessionToken returns the hex SHA-256 of a session token, as stored.
// A fast hash is safe for the same reason as with API tokens: the token is
// random and long, so there is no dictionary to try.
func HashSessionToken(token string) string { return HashTokenSecret(token) }

// MaxSessionTokenLength bounds what a store hashes and looks up: tokens
// are 43 characters, so anything much longer is not one.
const MaxSessionTokenLength = 128

// SessionStore keeps the web UI's sessions. Every method but FindSession,
// which finds the org from the token, and DeleteExpiredSessions, which is
// housekeeping, is scoped by org.
type SessionStore interface {
	// CreateSession stores a session for s.UserID of s.OrgID, which must
	// exist (ENOTFOUND otherwise), with the expiry times the caller set,
	// IdleExpiresAt cut to ExpiresAt. It fills in ID, CreatedAt and
	// LastSeenAt and returns the token, which is not stored and cannot be
	// had again.
	CreateSession(ctx context.Context, s *Session) (token string, err error)
	// FindSession returns the live session of a token; EUNAUTHORIZED when
	// the token is unknown, its session signed out or expired.
	FindSession(ctx context.Context, token string) (*Session, error)
	// TouchSession records a use of a live session now and moves its idle
	// expiry to idleExpiresAt (never past ExpiresAt); EUNAUTHORIZED when
	// the session is gone or expired.
	TouchSession(ctx context.Context, orgID, id string, idleExpiresAt time.Time) error
	// DeleteSession ends one session (signing out); ENOTFOUND when the org
	// has no such session.
	DeleteSession(ctx context.Context, orgID, id string) error
	// DeleteUserSessions ends every session of a user ("sign out
	// everywhere") and returns how many there were.
	DeleteUserSessions(ctx context.Context, orgID, userID string) (int, error)
	// DeleteExpiredSessions removes every org's sessions that have expired
	// by t and returns how many. Expired sessions are refused anyway;
	// this only keeps the table small.
	DeleteExpiredSessions(ctx context.Context, t time.Time) (int, error)
}
