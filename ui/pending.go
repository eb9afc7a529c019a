package ui

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/throttle"
)

// A person whose password was right but who still owes a second factor
// (a code, or an enrolment the org requires) is half signed in: the
// browser holds a pending cookie, signed with a key derived from
// Server.Key, naming the purpose, the org and user, when it ends, and a
// MAC of the user's password hash. It is not a session: no page but the
// code or enrolment page accepts it, it lasts pendingAge, and a password
// changed meanwhile voids it.
const (
	pendingCookie = "inkform_pending"
	pendingAge    = 10 * time.Minute
)

// Purposes of a pending cookie.
const (
	pendingCode  = "code"  // the person types a code or a recovery code
	pendingEnrol = "enrol" // the org requires a second factor the person lacks
)

// Throttling of second-factor codes per user, as of passwords per
// account: five wrong codes at once, then one a minute.
const (
	codeBurst = 5
	codeEvery = time.Minute
)

// authState is the state of second factors and single sign-on, made on
// first use.
type authState struct {
	once       sync.Once
	pendingKey []byte
	ssoKey     []byte
	byUser     *throttle.Limiter // wrong codes per user
	used       *usedStates       // single sign-on states already spent
}

// authInit fills in s.auth; Register has run s.init before any handler.
func (s *Server) authInit() *authState {
	s.auth.once.Do(func() {
		s.auth.pendingKey = deriveKey(s.csrfKey, "inkform ui pending sign-in v1")
		s.auth.ssoKey = deriveKey(s.csrfKey, "inkform ui single sign-on v1")
		s.auth.byUser = throttle.New(codeBurst, codeEvery, 0, s.now)
		s.auth.used = &usedStates{seen: map[string]time.Time{}}
	})
	return &s.auth
}

// pending is a half-signed-in person.
type pending struct {
	User *inkform.User
	Org  *inkform.Org
	CSRF string // the token of the pending page's form
}

// setPending gives the browser a pending cookie for u.
func (s *Server) setPending(w http.ResponseWriter, r *http.Request, u *inkform.User, purpose string) {
	a := s.authInit()
	msg := strings.Join([]string{purpose, u.OrgID, u.ID, strconv.FormatInt(s.now().Add(pendingAge).Unix(), 10),
		mac(a.pendingKey, "password\x00"+u.PasswordHash)}, "|")
	s.setCookie(w, r, pendingCookie, b64.EncodeToString([]byte(msg))+"."+mac(a.pendingKey, msg), pendingAge)
}

// findPending returns the request's pending sign-in for purpose, nil when
// it has none that is valid (absent, forged, expired, for another purpose,
// or for a user who is gone, disabled or changed password). The user is
// read afresh each time, so one disabled while half signed in cannot
// finish with a code or an enrolment.
func (s *Server) findPending(ctx context.Context, r *http.Request, purpose string) (*pending, error) {
	a := s.authInit()
	c, err := r.Cookie(s.cookieName(r, pendingCookie))
	if err != nil || len(c.Value) > 1024 {
		return nil, nil
	}
	enc, sig, ok := strings.Cut(c.Value, ".")
	raw, err := b64.DecodeString(enc)
	if !ok || err != nil || !equal(sig, mac(a.pendingKey, string(raw))) {
		return nil, nil
	}
	f := strings.Split(string(raw), "|")
	if len(f) != 5 || f[0] != purpose {
		return nil, nil
	}
	if end, err := strconv.ParseInt(f[3], 10, 64); err != nil || !s.now().Before(time.Unix(end, 0)) {
		return nil, nil
	}
	u, err := s.Users.FindUserByID(ctx, f[1], f[2])
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if u.Disabled || !equal(f[4], mac(a.pendingKey, "password\x00"+u.PasswordHash)) {
		return nil, nil
	}
	org, err := s.Orgs.FindOrgByID(ctx, u.OrgID)
	if err != nil {
		return nil, err
	}
	return &pending{User: u, Org: org, CSRF: mac(a.pendingKey, "csrf\x00"+c.Value)}, nil
}

// passwordAccepted goes on from a right password: to the code page when
// the user has a second factor, to enrolment when the org requires one
// the user lacks, else straight into a session.
func (s *Server) passwordAccepted(w http.ResponseWriter, r *http.Request, u *inkform.User, address string) {
	if s.TOTP != nil {
		t, err := s.TOTP.FindTOTP(r.Context(), u.OrgID, u.ID)
		if err != nil && inkform.ErrorCode(err) != inkform.ENOTFOUND {
			s.serverError(w, r, nil, err)
			return
		}
		if err == nil && t.Enrolled() {
			s.setPending(w, r, u, pendingCode)
			http.Redirect(w, r, "/login/code", http.StatusSeeOther)
			return
		}
		required, err := s.TOTP.TOTPRequired(r.Context(), u.OrgID)
		if err != nil {
			s.serverError(w, r, nil, err)
			return
		}
		if required {
			s.setPending(w, r, u, pendingEnrol)
			http.Redirect(w, r, "/account/totp", http.StatusSeeOther)
			return
		}
	}
	s.signInDone(w, r, u, inkform.AuditUserSignIn, "from "+address)
}

// signInDone starts u's session, ends every half-finished sign-in, records
// action and goes to the console.
func (s *Server) signInDone(w http.ResponseWriter, r *http.Request, u *inkform.User, action, detail string) {
	if _, err := s.startSession(w, r, u); err != nil {
		s.serverError(w, r, nil, err)
		return
	}
	s.clearCookie(w, r, loginCookie)
	s.clearCookie(w, r, pendingCookie)
	s.audit(r, u, "user "+u.ID, action, detail)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
