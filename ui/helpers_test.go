package ui

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/blob"
	"github.com/inkform/inkform/cutout"
	"github.com/inkform/inkform/fake"
	"github.com/inkform/inkform/passwd"
	"github.com/inkform/inkform/verify"
)

// cheap are argon2id parameters that make unit tests fast; the server
// checks whatever parameters a stored hash names.
var cheap = passwd.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// testClock is a settable clock shared by the server, its throttles and
// the fake session store.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *testClock) advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// harness is a console over fakes, served by httptest, with a clock.
type harness struct {
	t        *testing.T
	srv      *Server
	ts       *httptest.Server
	orgs     *fake.Orgs
	users    *fake.Users
	sessions *fake.Sessions
	audit    *fake.Audit
	clock    *testClock
	docs     *fake.Documents
	forms    *fake.Forms
	leases   *fake.Leases
	entries  *fake.Entries
	blobs    inkform.BlobStore
}

// newHarness starts a console; configure may change the Server before it
// is mounted.
func newHarness(t *testing.T, configure ...func(*Server)) *harness {
	t.Helper()
	clock := &testClock{t: time.Date(2030, 1, 2, 9, 0, 0, 0, time.UTC)}
	users := &fake.Users{}
	h := &harness{t: t, orgs: &fake.Orgs{}, users: users, audit: &fake.Audit{}, clock: clock,
		sessions: &fake.Sessions{Users: users, Now: clock.now}}
	users.Sessions = h.sessions
	// The station runs on the real workflow over the fakes. Their leases
	// live by the wall clock and the console's end in 2030, so leases
	// here end only when released.
	h.docs, h.forms = &fake.Documents{}, &fake.Forms{}
	h.entries = &fake.Entries{Documents: h.docs}
	h.leases = &fake.Leases{Documents: h.docs, Entries: h.entries, Forms: h.forms}
	workflow := &verify.Service{Forms: h.forms, Documents: h.docs, Updater: h.docs, Leases: h.leases, Entries: h.entries, Now: clock.now}
	blobs, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h.blobs = blobs
	h.srv = &Server{Users: h.users, Orgs: h.orgs, Sessions: h.sessions, Audit: h.audit, now: clock.now,
		Documents: h.docs, Forms: h.forms, Leases: h.leases, Entries: h.entries, Verification: workflow,
		Cutouts: &cutout.Service{Documents: h.docs, Forms: h.forms, Blobs: blobs}, Blobs: blobs,
		// Every client of httptest comes from 127.0.0.1: trusting it lets
		// a test name the client's address in X-Forwarded-For.
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}
	for _, c := range configure {
		c(h.srv)
	}
	// A dummy hash of the default cost takes a tenth of a second per
	// check; the tests' own hashes are cheap, and so is theirs.
	h.srv.dummy.once.Do(func() { h.srv.dummy.hash, h.srv.dummy.err = passwd.Hash("not anyone's password", cheap) })
	mux := http.NewServeMux()
	h.srv.Register(mux)
	h.ts = httptest.NewServer(mux)
	t.Cleanup(h.ts.Close)
	return h
}

// org creates an org.
func (h *harness) org(name string) *inkform.Org {
	h.t.Helper()
	o, err := h.orgs.CreateOrg(context.Background(), name)
	if err != nil {
		h.t.Fatal(err)
	}
	return o
}

// user creates a user of the org with the password.
func (h *harness) user(org *inkform.Org, email string, role inkform.Role, password string) *inkform.User {
	h.t.Helper()
	hash, err := passwd.Hash(password, cheap)
	if err != nil {
		h.t.Fatal(err)
	}
	u := &inkform.User{OrgID: org.ID, Email: email, Name: "", Role: role, PasswordHash: hash}
	if err := h.users.CreateUser(context.Background(), u); err != nil {
		h.t.Fatal(err)
	}
	return u
}

// browser is one client with its own cookies and address.
type browser struct {
	t    *testing.T
	h    *harness
	hc   *http.Client
	addr string // sent as X-Forwarded-For
}

// browser returns a client of test t from 203.0.113.1.
func (h *harness) browser(t *testing.T) *browser { return h.browserFrom(t, "203.0.113.1") }

// browserFrom returns a client of test t from the address, which never
// follows redirects so tests see them.
func (h *harness) browserFrom(t *testing.T, addr string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, h: h, addr: addr, hc: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// page is a response with its body read.
type page struct {
	*http.Response
	body string
}

// do sends a request as the browser would, same-origin.
func (b *browser) do(method, path string, form url.Values, header ...string) *page {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.h.ts.URL+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("X-Forwarded-For", b.addr)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return &page{Response: resp, body: string(data)}
}

func (b *browser) get(path string) *page { b.t.Helper(); return b.do("GET", path, nil) }

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf returns the CSRF token of the first form of a page.
func (p *page) csrf(t *testing.T) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no CSRF field on the page:\n%s", p.body)
	}
	return m[1]
}

// signIn fetches the sign-in form and posts it.
func (b *browser) signIn(email, password, org string) *page {
	b.t.Helper()
	token := b.get("/login").csrf(b.t)
	return b.do("POST", "/login", url.Values{"csrf": {token}, "email": {email}, "password": {password}, "org": {org}})
}

// mustSignIn signs in and fails unless it worked.
func (b *browser) mustSignIn(email, password string) {
	b.t.Helper()
	if p := b.signIn(email, password, ""); p.StatusCode != http.StatusSeeOther || p.Header.Get("Location") != "/" {
		b.t.Fatalf("sign-in answered %d (Location %q), want 303 to /:\n%s", p.StatusCode, p.Header.Get("Location"), p.body)
	}
}

// cookie returns the Set-Cookie of the response with the name, or nil.
func (p *page) cookie(name string) *http.Cookie {
	for _, c := range p.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// wantStatus fails unless the page has the status.
func (p *page) wantStatus(t *testing.T, what string, status int) {
	t.Helper()
	if p.StatusCode != status {
		t.Fatalf("%s: status %d, want %d:\n%s", what, p.StatusCode, status, p.body)
	}
}

// wantRedirect fails unless the page is a 303 to location.
func (p *page) wantRedirect(t *testing.T, what, location string) {
	t.Helper()
	if p.StatusCode != http.StatusSeeOther || p.Header.Get("Location") != location {
		t.Fatalf("%s: %d to %q, want 303 to %q", what, p.StatusCode, p.Header.Get("Location"), location)
	}
}

// events returns the org's audit events with the action.
func (h *harness) events(orgID, action string) []*inkform.AuditEvent {
	h.t.Helper()
	ev, _, err := h.audit.ListAudit(context.Background(), orgID, inkform.AuditFilter{Action: action})
	if err != nil {
		h.t.Fatal(err)
	}
	return ev
}
