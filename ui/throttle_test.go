package ui

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// TestThrottleAccount: after accountBurst wrong passwords an account is
// refused, even the right password, until it refills; other accounts and
// addresses are not touched, and an address nobody has behaves the same,
// so the refusal reveals nothing.
func TestThrottleAccount(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		email string
	}{
		{"existing account", "ann@example.org"},
		{"no such account", "nobody@example.org"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			org := h.org("Clinic")
			h.user(org, "ann@example.org", inkform.RoleVerifier, password)
			h.user(org, "bob@example.org", inkform.RoleVerifier, password)
			for i := range accountBurst {
				// Each from another address, so only the account counts.
				p := h.browserFrom(t, fmt.Sprintf("198.51.100.%d", i+1)).signIn(c.email, "wrong password!", "")
				p.wantStatus(t, fmt.Sprintf("wrong password %d", i+1), http.StatusOK)
			}
			p := h.browserFrom(t, "198.51.100.99").signIn(strings.ToUpper(c.email), password, "")
			p.wantStatus(t, "the right password after the burst", http.StatusTooManyRequests)
			if wait, _ := strconv.Atoi(p.Header.Get("Retry-After")); wait < 1 || wait > int(accountEvery/time.Second) {
				t.Errorf("Retry-After %q, want 1 to %d seconds", p.Header.Get("Retry-After"), int(accountEvery/time.Second))
			}
			if !strings.Contains(p.body, "Too many failed sign-ins") || p.cookie(sessionCookie) != nil {
				t.Errorf("throttled page without the message or with a session:\n%s", p.body)
			}
			h.browserFrom(t, "198.51.100.99").mustSignIn("bob@example.org", password)

			h.clock.advance(accountEvery)
			if c.email == "ann@example.org" {
				h.browserFrom(t, "198.51.100.99").mustSignIn(c.email, password)
			} else {
				h.browserFrom(t, "198.51.100.99").signIn(c.email, "wrong password!", "").wantStatus(t, "one more try after a minute", http.StatusOK)
				h.browserFrom(t, "198.51.100.99").signIn(c.email, "wrong password!", "").wantStatus(t, "the next at once", http.StatusTooManyRequests)
			}
		})
	}
}

// TestThrottleAddress: one address that fails addressBurst times, over
// many accounts, is refused for any account; other addresses are not.
func TestThrottleAddress(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.user(h.org("Clinic"), "ann@example.org", inkform.RoleVerifier, password)
	for i := range addressBurst {
		p := h.browserFrom(t, "2001:db8::1").signIn(fmt.Sprintf("guess%d@example.org", i), "wrong password!", "")
		p.wantStatus(t, fmt.Sprintf("guess %d", i+1), http.StatusOK)
	}
	// Another address in the same IPv6 /64 is the same subscriber.
	h.browserFrom(t, "2001:db8::2").signIn("ann@example.org", password, "").
		wantStatus(t, "the right password from the throttled /64", http.StatusTooManyRequests)
	h.browserFrom(t, "2001:db8:1::1").mustSignIn("ann@example.org", password)
	h.clock.advance(addressEvery)
	h.browserFrom(t, "2001:db8::2").mustSignIn("ann@example.org", password)
}

// TestThrottleSuccessFree: successes cost nothing, so a person who signs
// in often is never throttled.
func TestThrottleSuccessFree(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.user(h.org("Clinic"), "ann@example.org", inkform.RoleVerifier, password)
	for range addressBurst + accountBurst {
		h.browser(t).mustSignIn("ann@example.org", password)
	}
}

func TestWaitText(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{time.Millisecond, "a second"},
		{time.Second, "a second"},
		{1500 * time.Millisecond, "2 seconds"},
		{59 * time.Second, "59 seconds"},
		{time.Minute, "a minute"},
		{61 * time.Second, "2 minutes"},
		{time.Hour, "an hour"},
		{12 * time.Hour, "12 hours"},
		{90 * time.Minute, "90 minutes"},
	} {
		if got := waitText(c.d); got != c.want {
			t.Errorf("waitText(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}
