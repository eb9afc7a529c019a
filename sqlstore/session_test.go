package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// TestSessionTokenHashed checks what the conformance suite cannot see: the
// table holds the token's SHA-256 and never the token itself.
func TestSessionTokenHashed(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		u := newSignInUser(t, db)
		s := &inkform.Session{OrgID: u.OrgID, UserID: u.ID, IdleExpiresAt: time.Now().Add(time.Hour), ExpiresAt: time.Now().Add(time.Hour)}
		token, err := db.CreateSession(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if n := db.Count(t, "sessions", "id = ? AND hash = ?", s.ID, inkform.HashSessionToken(token)); n != 1 {
			t.Errorf("%d rows hold the token's hash, want 1", n)
		}
		if n := db.Count(t, "sessions", "hash = ? OR id = ? OR user_id = ?", token, token, token); n != 0 {
			t.Errorf("%d rows hold the token itself", n)
		}
	})
}

// TestSessionClock checks that expiry follows the store's clock: a touch
// keeps a session alive past its first idle expiry, the absolute expiry
// ends it whatever the touches.
func TestSessionClock(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		c := &clock{t: time.Now()}
		db := openDB(t, dsn, sqlstore.Options{Now: c.now})
		u := newSignInUser(t, db)
		start := c.now()
		s := &inkform.Session{OrgID: u.OrgID, UserID: u.ID, IdleExpiresAt: start.Add(30 * time.Minute), ExpiresAt: start.Add(2 * time.Hour)}
		token, err := db.CreateSession(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 { // 25, 50, 75 minutes: each touch gives 30 more
			c.t = c.t.Add(25 * time.Minute)
			if _, err := db.FindSession(ctx, token); err != nil {
				t.Fatalf("touch %d: the session ended early: %v", i, err)
			}
			if err := db.TouchSession(ctx, u.OrgID, s.ID, c.now().Add(30*time.Minute)); err != nil {
				t.Fatalf("touch %d: %v", i, err)
			}
		}
		c.t = c.t.Add(40 * time.Minute) // 115 minutes: idle 40 minutes since the last touch
		_, err = db.FindSession(ctx, token)
		wantCode(t, err, inkform.EUNAUTHORIZED)

		other := &inkform.Session{OrgID: u.OrgID, UserID: u.ID, IdleExpiresAt: c.now().Add(30 * time.Minute), ExpiresAt: c.now().Add(time.Hour)}
		otherToken, err := db.CreateSession(ctx, other)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 { // touched every 20 minutes, yet over after an hour
			c.t = c.t.Add(20 * time.Minute)
			_ = db.TouchSession(ctx, u.OrgID, other.ID, c.now().Add(30*time.Minute))
		}
		_, err = db.FindSession(ctx, otherToken)
		wantCode(t, err, inkform.EUNAUTHORIZED)
		if n, err := db.DeleteExpiredSessions(ctx, c.now()); err != nil || n != 2 {
			t.Errorf("DeleteExpiredSessions = %d, %v; want both sessions", n, err)
		}
	})
}

// newSignInUser creates a verifier in a new org.
func newSignInUser(t *testing.T, db *sqlstore.DB) *inkform.User {
	t.Helper()
	u := &inkform.User{OrgID: newOrg(t, db).ID, Email: "ann@example.org", Role: inkform.RoleVerifier, PasswordHash: "h"}
	if err := db.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}
