package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/inkform/inkform"
)

var _ inkform.SessionStore = (*DB)(nil)

// errNoSession is FindSession's and TouchSession's answer for every kind
// of missing session, so a caller cannot tell unknown from expired.
func errNoSession() error { return inkform.Errorf(inkform.EUNAUTHORIZED, "no such session") }

// CreateSession stores a session of an existing user and returns its
// token; only the token's hash is stored.
func (db *DB) CreateSession(ctx context.Context, s *inkform.Session) (string, error) {
	if s.ExpiresAt.IsZero() || s.IdleExpiresAt.IsZero() {
		return "", inkform.Errorf(inkform.EINVALID, "a session needs its expiry times")
	}
	if s.IdleExpiresAt.After(s.ExpiresAt) {
		s.IdleExpiresAt = s.ExpiresAt
	}
	token := inkform.NewSessionToken()
	now := db.now()
	err := db.inWrite(ctx, func(tx querier) error {
		// The user's org is checked in the same transaction, so a session
		// never names a user of another org.
		var n int
		err := tx.queryRow(ctx, "SELECT COUNT(*) FROM users WHERE org_id = ? AND id = ?", s.OrgID, s.UserID).Scan(&n)
		if err != nil {
			return fmt.Errorf("create session: %w", err)
		} else if n == 0 {
			return inkform.Errorf(inkform.ENOTFOUND, "user not found")
		}
		s.ID, s.CreatedAt, s.LastSeenAt = inkform.NewID(), now, now
		_, err = tx.exec(ctx, `INSERT INTO sessions (id, org_id, user_id, hash, created_at, last_seen_at, idle_expires_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			s.ID, s.OrgID, s.UserID, inkform.HashSessionToken(token), micros(now), micros(now),
			micros(s.IdleExpiresAt), micros(s.ExpiresAt))
		if err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	s.IdleExpiresAt, s.ExpiresAt = dbTime(s.IdleExpiresAt), dbTime(s.ExpiresAt)
	return token, nil
}

// FindSession finds a live session by the hash of its token. It reads the
// primary: a session made a moment ago on another node must be found,
// and one signed out a moment ago must not.
func (db *DB) FindSession(ctx context.Context, token string) (*inkform.Session, error) {
	if token == "" || len(token) > inkform.MaxSessionTokenLength {
		return nil, errNoSession()
	}
	var s inkform.Session
	var created, seen, idle, expires int64
	// idle_expires_at is never after expires_at, so it alone decides.
	err := db.primary().queryRow(ctx, `SELECT id, org_id, user_id, created_at, last_seen_at, idle_expires_at, expires_at
		FROM sessions WHERE hash = ? AND idle_expires_at > ?`, inkform.HashSessionToken(token), micros(db.now())).
		Scan(&s.ID, &s.OrgID, &s.UserID, &created, &seen, &idle, &expires)
	if err != nil {
		if inkform.ErrorCode(notFound(err, "session")) == inkform.ENOTFOUND {
			return nil, errNoSession()
		}
		return nil, fmt.Errorf("find session: %w", err)
	}
	s.CreatedAt, s.LastSeenAt = fromMicros(created), fromMicros(seen)
	s.IdleExpiresAt, s.ExpiresAt = fromMicros(idle), fromMicros(expires)
	return &s, nil
}

// TouchSession records a use of a live session and moves its idle expiry,
// cut to the absolute one in the statement itself.
func (db *DB) TouchSession(ctx context.Context, orgID, id string, idleExpiresAt time.Time) error {
	now, idle := micros(db.now()), micros(idleExpiresAt)
	res, err := db.writer().exec(ctx, `UPDATE sessions
		SET last_seen_at = ?, idle_expires_at = CASE WHEN ? < expires_at THEN ? ELSE expires_at END
		WHERE org_id = ? AND id = ? AND idle_expires_at > ?`, now, idle, idle, orgID, id, now)
	if err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("touch session: %w", err)
	} else if n == 0 {
		return errNoSession()
	}
	return nil
}

// DeleteSession ends one session of the org.
func (db *DB) DeleteSession(ctx context.Context, orgID, id string) error {
	res, err := db.writer().exec(ctx, "DELETE FROM sessions WHERE org_id = ? AND id = ?", orgID, id)
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("delete session: %w", err)
	} else if n == 0 {
		return inkform.Errorf(inkform.ENOTFOUND, "session not found")
	}
	return nil
}

// DeleteUserSessions ends every session of a user of the org.
func (db *DB) DeleteUserSessions(ctx context.Context, orgID, userID string) (int, error) {
	res, err := db.writer().exec(ctx, "DELETE FROM sessions WHERE org_id = ? AND user_id = ?", orgID, userID)
	if err != nil {
		return 0, fmt.Errorf("delete user sessions: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("delete user sessions: %w", err)
	}
	return int(n), nil
}

// DeleteExpiredSessions removes the sessions of every org that have
// expired by t.
func (db *DB) DeleteExpiredSessions(ctx context.Context, t time.Time) (int, error) {
	res, err := db.writer().exec(ctx, "DELETE FROM sessions WHERE idle_expires_at <= ?", micros(t))
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return int(n), nil
}

// dbTime is t as the store gives it back: UTC, to the microsecond.
func dbTime(t time.Time) time.Time { return fromMicros(micros(t)) }
