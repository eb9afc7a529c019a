package fake

import (
	"context"
	"sync"
	"time"

	"github.com/inkform/inkform"
)

var _ inkform.SessionStore = (*Sessions)(nil)

// Sessions is an in-memory SessionStore. Like sqlstore it keeps only the
// hash of each token. It needs Users, to check that a session's user is of
// its org; Now, when set, is its clock, so tests can let sessions expire.
type Sessions struct {
	Hook  Hook
	Users *Users
	Now   func() time.Time

	mu     sync.Mutex
	byHash map[string]*inkform.Session
}

// now returns the fake's time as a database gives it back.
func (f *Sessions) now() time.Time {
	if f.Now != nil {
		return dbTime(f.Now())
	}
	return now()
}

// CreateSession implements inkform.SessionStore.
func (f *Sessions) CreateSession(ctx context.Context, s *inkform.Session) (string, error) {
	if err := f.Hook.call("CreateSession", s); err != nil {
		return "", err
	}
	if s.ExpiresAt.IsZero() || s.IdleExpiresAt.IsZero() {
		return "", inkform.Errorf(inkform.EINVALID, "a session needs its expiry times")
	}
	if !f.Users.exists(s.OrgID, s.UserID) {
		return "", notFound("user")
	}
	s.IdleExpiresAt, s.ExpiresAt = dbTime(s.IdleExpiresAt), dbTime(s.ExpiresAt)
	if s.IdleExpiresAt.After(s.ExpiresAt) {
		s.IdleExpiresAt = s.ExpiresAt
	}
	s.ID = inkform.NewID()
	s.CreatedAt = f.now()
	s.LastSeenAt = s.CreatedAt
	token := inkform.NewSessionToken()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.byHash == nil {
		f.byHash = map[string]*inkform.Session{}
	}
	c := *s
	f.byHash[inkform.HashSessionToken(token)] = &c
	return token, nil
}

// FindSession implements inkform.SessionStore.
func (f *Sessions) FindSession(ctx context.Context, token string) (*inkform.Session, error) {
	// As with API tokens, the token is not passed to the hook.
	if err := f.Hook.call("FindSession"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.byHash[inkform.HashSessionToken(token)]
	if !ok || !s.Live(f.now()) {
		return nil, inkform.Errorf(inkform.EUNAUTHORIZED, "no such session")
	}
	c := *s
	return &c, nil
}

// TouchSession implements inkform.SessionStore.
func (f *Sessions) TouchSession(ctx context.Context, orgID, id string, idleExpiresAt time.Time) error {
	if err := f.Hook.call("TouchSession", orgID, id, idleExpiresAt); err != nil {
		return err
	}
	now := f.now()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range f.byHash {
		if s.OrgID == orgID && s.ID == id && s.Live(now) {
			s.LastSeenAt = now
			s.IdleExpiresAt = dbTime(idleExpiresAt)
			if s.IdleExpiresAt.After(s.ExpiresAt) {
				s.IdleExpiresAt = s.ExpiresAt
			}
			return nil
		}
	}
	return inkform.Errorf(inkform.EUNAUTHORIZED, "no such session")
}

// DeleteSession implements inkform.SessionStore.
func (f *Sessions) DeleteSession(ctx context.Context, orgID, id string) error {
	if err := f.Hook.call("DeleteSession", orgID, id); err != nil {
		return err
	}
	if f.deleteWhere(func(s *inkform.Session) bool { return s.OrgID == orgID && s.ID == id }) == 0 {
		return notFound("session")
	}
	return nil
}

// DeleteUserSessions implements inkform.SessionStore.
func (f *Sessions) DeleteUserSessions(ctx context.Context, orgID, userID string) (int, error) {
	if err := f.Hook.call("DeleteUserSessions", orgID, userID); err != nil {
		return 0, err
	}
	return f.deleteWhere(func(s *inkform.Session) bool { return s.OrgID == orgID && s.UserID == userID }), nil
}

// DeleteExpiredSessions implements inkform.SessionStore.
func (f *Sessions) DeleteExpiredSessions(ctx context.Context, t time.Time) (int, error) {
	if err := f.Hook.call("DeleteExpiredSessions", t); err != nil {
		return 0, err
	}
	return f.deleteWhere(func(s *inkform.Session) bool { return !s.IdleExpiresAt.After(t) }), nil
}

// deleteWhere deletes the sessions match accepts and returns how many.
func (f *Sessions) deleteWhere(match func(*inkform.Session) bool) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for h, s := range f.byHash {
		if match(s) {
			delete(f.byHash, h)
			n++
		}
	}
	return n
}
