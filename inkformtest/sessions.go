package inkformtest

import (
	"context"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// ExerciseSessionStore runs the SessionStore contract against Sessions,
// with orgs and users made through Orgs and Users. It moves no clock:
// expiry is tested with sessions whose times are already past.
func ExerciseSessionStore(t *testing.T, newStores NewStores) {
	run(t, newStores, []suiteCase{
		{"CreateAndFind", testSessionCreateAndFind},
		{"UserOfTheOrg", testSessionUserOfTheOrg},
		{"Expiry", testSessionExpiry},
		{"Touch", testSessionTouch},
		{"Delete", testSessionDelete},
		{"DeleteUserSessions", testSessionDeleteUser},
		{"DeleteExpired", testSessionDeleteExpired},
	})
}

// sessionUser returns a user of a new org, and another org.
func sessionUser(t *testing.T, s Stores) (*inkform.User, *inkform.Org) {
	t.Helper()
	need(t, "Sessions", s.Sessions != nil)
	org, other := userOrgs(t, s)
	return newUser(t, s.Users, org.ID, inkform.RoleVerifier), other
}

// newSession creates a session of u with the expiry times and returns it
// with its token.
func newSession(t *testing.T, s Stores, u *inkform.User, idle, expires time.Time) (*inkform.Session, string) {
	t.Helper()
	sess := &inkform.Session{OrgID: u.OrgID, UserID: u.ID, IdleExpiresAt: idle, ExpiresAt: expires}
	token, err := s.Sessions.CreateSession(context.Background(), sess)
	if err != nil {
		t.Fatalf("create session: %v", err)
	}
	return sess, token
}

// live returns the expiry times of a session that lasts: an hour idle, a
// day in all.
func live() (time.Time, time.Time) {
	now := time.Now()
	return now.Add(time.Hour), now.Add(24 * time.Hour)
}

// wantNoSession fails unless the token finds no session.
func wantNoSession(t *testing.T, s Stores, what, token string) {
	t.Helper()
	_, err := s.Sessions.FindSession(context.Background(), token)
	wantCode(t, what, err, inkform.EUNAUTHORIZED)
}

func testSessionCreateAndFind(t *testing.T, s Stores) {
	u, _ := sessionUser(t, s)
	idle, expires := live()
	before := time.Now().Add(-time.Second)
	sess, token := newSession(t, s, u, idle, expires)
	if !inkform.ValidID(sess.ID) || len(token) < 40 || sess.CreatedAt.Before(before) || !sess.LastSeenAt.Equal(sess.CreatedAt) {
		t.Fatalf("created %+v with token of %d characters; want an ID, a long token, the times filled in", sess, len(token))
	}
	_, other := newSession(t, s, u, idle, expires)
	if other == token {
		t.Fatal("two sessions got the same token")
	}
	got, err := s.Sessions.FindSession(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != sess.ID || got.OrgID != u.OrgID || got.UserID != u.ID || !got.CreatedAt.Equal(sess.CreatedAt) ||
		!got.IdleExpiresAt.Equal(dbTime(idle)) || !got.ExpiresAt.Equal(dbTime(expires)) {
		t.Errorf("found %+v, created %+v", got, sess)
	}
	wantNoSession(t, s, "an unknown token", inkform.NewSessionToken())
	wantNoSession(t, s, "an empty token", "")
	wantNoSession(t, s, "the session's ID as a token", sess.ID)
	wantNoSession(t, s, "the token's hash as a token", inkform.HashSessionToken(token))
}

func testSessionUserOfTheOrg(t *testing.T, s Stores) {
	u, other := sessionUser(t, s)
	idle, expires := live()
	_, err := s.Sessions.CreateSession(context.Background(),
		&inkform.Session{OrgID: other.ID, UserID: u.ID, IdleExpiresAt: idle, ExpiresAt: expires})
	wantCode(t, "a session in another org than the user's", err, inkform.ENOTFOUND)
	_, err = s.Sessions.CreateSession(context.Background(),
		&inkform.Session{OrgID: u.OrgID, UserID: inkform.NewID(), IdleExpiresAt: idle, ExpiresAt: expires})
	wantCode(t, "a session of an unknown user", err, inkform.ENOTFOUND)
}

func testSessionExpiry(t *testing.T, s Stores) {
	u, _ := sessionUser(t, s)
	now := time.Now()
	_, idleOver := newSession(t, s, u, now.Add(-time.Second), now.Add(time.Hour))
	wantNoSession(t, s, "a session idle too long", idleOver)
	// An idle expiry after the absolute one is cut to it.
	over, overToken := newSession(t, s, u, now.Add(time.Hour), now.Add(-time.Second))
	if !over.IdleExpiresAt.Equal(over.ExpiresAt) {
		t.Errorf("idle expiry %v after the absolute %v was not cut", over.IdleExpiresAt, over.ExpiresAt)
	}
	wantNoSession(t, s, "a session past its absolute expiry", overToken)
}

func testSessionTouch(t *testing.T, s Stores) {
	u, other := sessionUser(t, s)
	ctx := context.Background()
	now := time.Now()
	expires := now.Add(2 * time.Hour)
	sess, token := newSession(t, s, u, now.Add(time.Minute), expires)
	nextMillisecond()
	later := now.Add(time.Hour)
	if err := s.Sessions.TouchSession(ctx, u.OrgID, sess.ID, later); err != nil {
		t.Fatal(err)
	}
	got, err := s.Sessions.FindSession(ctx, token)
	if err != nil || !got.IdleExpiresAt.Equal(dbTime(later)) || !got.LastSeenAt.After(sess.LastSeenAt) {
		t.Errorf("after a touch: %+v, %v; want idle expiry %v and a later last use than %v", got, err, dbTime(later), sess.LastSeenAt)
	}
	if err := s.Sessions.TouchSession(ctx, u.OrgID, sess.ID, now.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Sessions.FindSession(ctx, token); err != nil || !got.IdleExpiresAt.Equal(dbTime(expires)) {
		t.Errorf("touched past the absolute expiry: %+v, %v; want idle expiry cut to %v", got, err, dbTime(expires))
	}
	wantCode(t, "touching another org's session", s.Sessions.TouchSession(ctx, other.ID, sess.ID, later), inkform.EUNAUTHORIZED)
	gone, goneToken := newSession(t, s, u, now.Add(-time.Second), expires)
	wantCode(t, "touching an expired session", s.Sessions.TouchSession(ctx, u.OrgID, gone.ID, later), inkform.EUNAUTHORIZED)
	wantNoSession(t, s, "an expired session after a touch", goneToken)
}

func testSessionDelete(t *testing.T, s Stores) {
	u, other := sessionUser(t, s)
	ctx := context.Background()
	idle, expires := live()
	sess, token := newSession(t, s, u, idle, expires)
	_, keep := newSession(t, s, u, idle, expires)
	wantCode(t, "another org deleting the session", s.Sessions.DeleteSession(ctx, other.ID, sess.ID), inkform.ENOTFOUND)
	if _, err := s.Sessions.FindSession(ctx, token); err != nil {
		t.Fatalf("the session is gone after another org's delete: %v", err)
	}
	if err := s.Sessions.DeleteSession(ctx, u.OrgID, sess.ID); err != nil {
		t.Fatal(err)
	}
	wantNoSession(t, s, "a deleted session", token)
	wantCode(t, "deleting it again", s.Sessions.DeleteSession(ctx, u.OrgID, sess.ID), inkform.ENOTFOUND)
	if _, err := s.Sessions.FindSession(ctx, keep); err != nil {
		t.Errorf("the user's other session went too: %v", err)
	}
}

func testSessionDeleteUser(t *testing.T, s Stores) {
	u, other := sessionUser(t, s)
	ctx := context.Background()
	colleague := newUser(t, s.Users, u.OrgID, inkform.RoleAdmin)
	idle, expires := live()
	_, a := newSession(t, s, u, idle, expires)
	_, b := newSession(t, s, u, idle, expires)
	_, c := newSession(t, s, colleague, idle, expires)
	if n, err := s.Sessions.DeleteUserSessions(ctx, other.ID, u.ID); err != nil || n != 0 {
		t.Errorf("another org ended %d sessions (%v), want 0", n, err)
	}
	n, err := s.Sessions.DeleteUserSessions(ctx, u.OrgID, u.ID)
	if err != nil || n != 2 {
		t.Fatalf("DeleteUserSessions = %d, %v; want 2", n, err)
	}
	wantNoSession(t, s, "the first session after signing out everywhere", a)
	wantNoSession(t, s, "the second session after signing out everywhere", b)
	if _, err := s.Sessions.FindSession(ctx, c); err != nil {
		t.Errorf("a colleague's session ended too: %v", err)
	}
}

func testSessionDeleteExpired(t *testing.T, s Stores) {
	u, _ := sessionUser(t, s)
	ctx := context.Background()
	now := time.Now()
	old, _ := newSession(t, s, u, now.Add(-time.Minute), now.Add(time.Hour))
	idle, expires := live()
	_, keep := newSession(t, s, u, idle, expires)
	// Other cases share the store; now is before every live session's
	// expiry, so theirs survive. No other case deletes expired sessions,
	// so this one's is still there to count.
	n, err := s.Sessions.DeleteExpiredSessions(ctx, time.Now())
	if err != nil || n < 1 {
		t.Fatalf("DeleteExpiredSessions = %d, %v; want at least the one expired session", n, err)
	}
	wantCode(t, "deleting the expired session by ID", s.Sessions.DeleteSession(ctx, u.OrgID, old.ID), inkform.ENOTFOUND)
	if _, err := s.Sessions.FindSession(ctx, keep); err != nil {
		t.Errorf("a live session was deleted: %v", err)
	}
}
