package ui

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
)

// parallel is how many wrong tries the parallel throttle tests send at once.
const parallel = 50

// gate holds each check of a credential, while armed, until parallel of
// them are running or a moment has passed, so that the requests overlap
// as an attacker's would. It counts the checks.
type gate struct {
	armed  atomic.Bool
	checks atomic.Int32
	once   sync.Once
	all    chan struct{}
}

func newGate() *gate { return &gate{all: make(chan struct{})} }

// check counts a check and holds it while the gate is armed.
func (g *gate) check() {
	if !g.armed.Load() {
		return
	}
	if g.checks.Add(1) == parallel {
		g.once.Do(func() { close(g.all) })
	}
	select {
	case <-g.all:
	case <-time.After(500 * time.Millisecond):
	}
}

// gatedUsers looks up sign-in addresses through a gate.
type gatedUsers struct {
	inkform.UserService
	g *gate
}

func (u gatedUsers) FindUsersByEmail(ctx context.Context, email string) ([]*inkform.User, error) {
	u.g.check()
	return u.UserService.FindUsersByEmail(ctx, email)
}

// gatedTOTP reads second factors through a gate.
type gatedTOTP struct {
	inkform.TOTPStore
	g *gate
}

func (t gatedTOTP) FindTOTP(ctx context.Context, orgID, userID string) (*inkform.TOTP, error) {
	t.g.check()
	return t.TOTPStore.FindTOTP(ctx, orgID, userID)
}

// postAll posts each browser's form to path at once and returns the
// answers' statuses.
func postAll(t *testing.T, browsers []*browser, path string, forms []url.Values) []int {
	t.Helper()
	statuses := make([]int, len(browsers))
	var wg sync.WaitGroup
	for i, b := range browsers {
		wg.Go(func() {
			req, err := http.NewRequest("POST", b.h.ts.URL+path, strings.NewReader(forms[i].Encode()))
			if err != nil {
				t.Error(err)
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", b.addr)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			resp, err := b.hc.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()
	return statuses
}

// count returns how many of statuses are status.
func count(statuses []int, status int) int {
	n := 0
	for _, s := range statuses {
		if s == status {
			n++
		}
	}
	return n
}

// TestTOTPThrottledConcurrently: wrong codes sent in parallel, each with
// its own half sign-in, get no more checks between them than the burst;
// the rest are refused before any check.
func TestTOTPThrottledConcurrently(t *testing.T) {
	t.Parallel()
	g := newGate()
	h := newHarness(t, func(s *Server) { s.TOTP = gatedTOTP{&fake.TOTP{Users: s.Users.(*fake.Users)}, g} })
	org := h.org("Clinic")
	h.user(org, "ann@example.org", inkform.RoleVerifier, "ann's password")
	b := h.browser(t)
	b.mustSignIn("ann@example.org", "ann's password")
	b.enrol() // one wrong code on the way
	h.clock.advance(codeBurst * codeEvery)

	browsers := make([]*browser, parallel)
	forms := make([]url.Values, parallel)
	for i := range browsers {
		browsers[i] = h.browserFrom(t, fmt.Sprintf("198.51.100.%d", i+1))
		browsers[i].signIn("ann@example.org", "ann's password", "").wantRedirect(t, "the password", "/login/code")
		forms[i] = url.Values{"csrf": {browsers[i].get("/login/code").csrf(t)}, "code": {"000000"}}
	}
	g.armed.Store(true)
	statuses := postAll(t, browsers, "/login/code", forms)
	g.armed.Store(false)
	if n := g.checks.Load(); n > codeBurst {
		t.Errorf("%d parallel wrong codes were checked, want at most the burst of %d", n, codeBurst)
	}
	if n := count(statuses, http.StatusTooManyRequests); n < parallel-codeBurst {
		t.Errorf("%d of %d parallel wrong codes refused, want at least %d: %v", n, parallel, parallel-codeBurst, statuses)
	}
	if n := len(h.events(org.ID, inkform.AuditUserTOTPFail)); n > codeBurst {
		t.Errorf("%d wrong-code events, want at most %d", n, codeBurst)
	}
}

// TestThrottleAccountConcurrently: wrong passwords for one account sent in
// parallel from many addresses, its address typed in any case, get no
// more checks between them than the account's burst.
func TestThrottleAccountConcurrently(t *testing.T) {
	t.Parallel()
	g := newGate()
	h := newHarness(t, func(s *Server) { s.Users = gatedUsers{s.Users, g} })
	h.user(h.org("Clinic"), "ann@example.org", inkform.RoleVerifier, password)
	spellings := []string{"ann@example.org", "ANN@example.org", " Ann@Example.org "}
	browsers := make([]*browser, parallel)
	forms := make([]url.Values, parallel)
	for i := range browsers {
		browsers[i] = h.browserFrom(t, fmt.Sprintf("198.51.100.%d", i+1))
		forms[i] = url.Values{"csrf": {browsers[i].get("/login").csrf(t)}, "email": {spellings[i%len(spellings)]},
			"password": {"wrong password!"}}
	}
	wantThrottled(t, g, browsers, forms, accountBurst)
	h.browserFrom(t, "198.51.100.99").signIn("ann@example.org", password, "").
		wantStatus(t, "the right password after the parallel burst", http.StatusTooManyRequests)
}

// TestThrottleAddressConcurrently: wrong passwords for many accounts sent
// in parallel from one address get no more checks between them than the
// address's burst.
func TestThrottleAddressConcurrently(t *testing.T) {
	t.Parallel()
	g := newGate()
	h := newHarness(t, func(s *Server) { s.Users = gatedUsers{s.Users, g} })
	h.user(h.org("Clinic"), "ann@example.org", inkform.RoleVerifier, password)
	browsers := make([]*browser, parallel)
	forms := make([]url.Values, parallel)
	for i := range browsers {
		browsers[i] = h.browserFrom(t, "2001:db8::1")
		forms[i] = url.Values{"csrf": {browsers[i].get("/login").csrf(t)}, "email": {fmt.Sprintf("guess%d@example.org", i)},
			"password": {"wrong password!"}}
	}
	wantThrottled(t, g, browsers, forms, addressBurst)
	h.browserFrom(t, "2001:db8::2").signIn("ann@example.org", password, "").
		wantStatus(t, "the right password from the throttled /64", http.StatusTooManyRequests)
	h.browserFrom(t, "2001:db8:1::1").mustSignIn("ann@example.org", password)
}

// wantThrottled posts the sign-in forms at once through the armed gate
// and fails unless at most burst of them were checked and the rest were
// refused.
func wantThrottled(t *testing.T, g *gate, browsers []*browser, forms []url.Values, burst int) {
	t.Helper()
	g.armed.Store(true)
	statuses := postAll(t, browsers, "/login", forms)
	g.armed.Store(false)
	if n := g.checks.Load(); n > int32(burst) {
		t.Errorf("%d parallel wrong passwords were checked, want at most the burst of %d", n, burst)
	}
	if n := count(statuses, http.StatusTooManyRequests); n < len(browsers)-burst {
		t.Errorf("%d of %d parallel wrong passwords refused, want at least %d: %v", n, len(browsers), len(browsers)-burst, statuses)
	}
}
