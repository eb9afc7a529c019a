package ui

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
)

// accountsHarness is a console with the accounts pages' services: fake
// tokens, a notifier whose token notices it keeps, second factors, and
// cheap hashes for the passwords the users pages make.
type accountsHarness struct {
	*harness
	tokens *fake.Tokens
	logs   *syncBuffer // everything the console logs

	mu      sync.Mutex
	notices []string
}

func newAccountsHarness(t *testing.T) *accountsHarness {
	t.Helper()
	a := &accountsHarness{tokens: &fake.Tokens{}, logs: &syncBuffer{}}
	n := inkform.NewLocalNotifier()
	n.Subscribe(inkform.TopicTokens, func(p string) { a.mu.Lock(); a.notices = append(a.notices, p); a.mu.Unlock() })
	a.harness = newHarness(t, withTOTP, func(s *Server) {
		s.Tokens, s.Notifier, s.passwordParams = a.tokens, n, &cheap
		s.Logger = slog.New(slog.NewTextHandler(a.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	return a
}

// syncBuffer is a bytes.Buffer for a logger that parallel requests share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.buf.String() }

// heard reports whether a token notice named the org's token.
func (a *accountsHarness) heard(orgID, id string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, p := range a.notices {
		if p == inkform.TokenNotice(orgID, id) {
			return true
		}
	}
	return false
}

// signedIn returns a browser signed in as a new user of the org.
func (a *accountsHarness) signedIn(t *testing.T, org *inkform.Org, email string, role inkform.Role) (*browser, *inkform.User) {
	t.Helper()
	u := a.user(org, email, role, password)
	b := a.browser(t)
	b.mustSignIn(email, password)
	return b, u
}

// post sends a form from the page at from, with that page's CSRF token.
func (b *browser) post(from, path string, form url.Values) *page {
	b.t.Helper()
	form.Set("csrf", b.get(from).csrf(b.t))
	return b.do("POST", path, form)
}

// refusal is a request the accounts pages refuse: who sends it where,
// with which form (nil: a GET), the status they answer and what the
// page says.
type refusal struct {
	name   string
	b      *browser
	path   string
	form   url.Values
	status int
	says   string
}

// wantRefused sends each request, a form with the CSRF token of the page
// at from, and checks its status and that the page says why in an alert.
// It returns the pages, in order, for a test's own checks.
func wantRefused(t *testing.T, from string, cases []refusal) []*page {
	t.Helper()
	pages := make([]*page, len(cases))
	for i, c := range cases {
		if c.form == nil {
			pages[i] = c.b.get(c.path)
		} else {
			pages[i] = c.b.post(from, c.path, c.form)
		}
		pages[i].wantStatus(t, c.name, c.status)
		if !strings.Contains(pages[i].body, c.says) || !strings.Contains(pages[i].body, `role="alert"`) {
			t.Errorf("%s: the page does not say %q in an alert:\n%s", c.name, c.says, pages[i].body)
		}
	}
	return pages
}

var secretOnPage = regexp.MustCompile(`value="(` + inkform.TokenPrefix + `[a-z2-7]+)"`)

// TestTokenCreateShownOnce: a new token's secret is on the 201 page once,
// not cached, works, and never appears on the list; the creation is audited.
func TestTokenCreateShownOnce(t *testing.T) {
	t.Parallel()
	a := newAccountsHarness(t)
	org := a.org("Clinic")
	boss, bossUser := a.signedIn(t, org, "boss@example.org", inkform.RoleAdmin)

	made := boss.post("/tokens", "/tokens", url.Values{"name": {"front desk gateway"}, "role": {"gateway"}, "expires": {"2030-03-01"}})
	made.wantStatus(t, "POST /tokens", http.StatusCreated)
	m := secretOnPage.FindStringSubmatch(made.body)
	if m == nil {
		t.Fatalf("no secret on the new token's page:\n%s", made.body)
	}
	secret := m[1]
	if n := strings.Count(made.body, secret); n != 1 {
		t.Errorf("the secret is on the page %d times, want once", n)
	}
	if cc := made.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q on the secret's page", cc)
	}
	if !strings.Contains(made.body, "shown only this once") {
		t.Errorf("the page does not warn that the secret is shown once")
	}
	tok, err := a.tokens.Authenticate(context.Background(), secret)
	if err != nil {
		t.Fatalf("the secret shown does not authenticate: %v", err)
	}
	if tok.OrgID != org.ID || tok.Role != inkform.RoleGateway || tok.Name != "front desk gateway" || tok.ExpiresAt.Format("2006-01-02") != "2030-03-01" {
		t.Errorf("token made: %+v", tok)
	}
	list := boss.get("/tokens")
	list.wantStatus(t, "GET /tokens", http.StatusOK)
	if strings.Contains(a.logs.String(), secret) {
		t.Errorf("the secret is in the log:\n%s", a.logs.String())
	}
	if strings.Contains(list.body, secret) || strings.Contains(list.body, secret[len(inkform.TokenPrefix)+4:]) {
		t.Errorf("the list shows the secret")
	}
	if !strings.Contains(list.body, "front desk gateway") || !strings.Contains(list.body, tok.Hint+"…") || !strings.Contains(list.body, "2030-03-01") {
		t.Errorf("the list lacks the token's name, hint or expiry:\n%s", list.body)
	}
	ev := a.events(org.ID, inkform.AuditTokenCreate)
	if len(ev) != 1 || ev[0].Object != (inkform.AuditObject{Kind: "token", ID: tok.ID}) || ev[0].Actor != "user "+bossUser.ID || strings.Contains(ev[0].Detail, secret) {
		t.Errorf("audit events %+v", ev)
	}
}

// TestTokenCreateRefused: bad forms, a forged form and roles without
// tokens:manage make no token.
func TestTokenCreateRefused(t *testing.T) {
	t.Parallel()
	a := newAccountsHarness(t)
	org := a.org("Clinic")
	boss, _ := a.signedIn(t, org, "boss@example.org", inkform.RoleAdmin)
	wantRefused(t, "/tokens", []refusal{
		{"no name", boss, "/tokens", url.Values{"name": {" "}, "role": {"gateway"}}, http.StatusUnprocessableEntity, "name of 1 to 200"},
		{"long name", boss, "/tokens", url.Values{"name": {strings.Repeat("n", 201)}, "role": {"gateway"}}, http.StatusUnprocessableEntity, "name of 1 to 200"},
		{"unknown role", boss, "/tokens", url.Values{"name": {"x"}, "role": {"root"}}, http.StatusUnprocessableEntity, "roles listed"},
		{"expiry today", boss, "/tokens", url.Values{"name": {"x"}, "role": {"gateway"}, "expires": {"2030-01-02"}}, http.StatusUnprocessableEntity, "after today"},
		{"expiry garbled", boss, "/tokens", url.Values{"name": {"x"}, "role": {"gateway"}, "expires": {"soon"}}, http.StatusUnprocessableEntity, "after today"},
	})
	boss.do("POST", "/tokens", url.Values{"csrf": {"forged"}, "name": {"x"}, "role": {"gateway"}}).wantStatus(t, "forged", http.StatusForbidden)
	for _, role := range []inkform.Role{inkform.RoleDesigner, inkform.RoleVerifier, inkform.RoleIntegrator} {
		b, _ := a.signedIn(t, org, string(role)+"@example.org", role)
		b.get("/tokens").wantStatus(t, string(role)+" GET /tokens", http.StatusForbidden)
		b.post("/", "/tokens", url.Values{"name": {"x"}, "role": {"admin"}}).wantStatus(t, string(role)+" POST /tokens", http.StatusForbidden)
	}
	if list, _ := a.tokens.ListTokens(context.Background(), org.ID); len(list) != 0 {
		t.Errorf("%d tokens made by refused forms", len(list))
	}
}

// TestTokenRevoke: revoking asks first, then deletes the token, tells the
// other nodes and is audited; another org's token is not found.
func TestTokenRevoke(t *testing.T) {
	t.Parallel()
	a := newAccountsHarness(t)
	ctx := context.Background()
	org, other := a.org("Clinic"), a.org("Elsewhere")
	boss, _ := a.signedIn(t, org, "boss@example.org", inkform.RoleAdmin)
	tok, secret, err := a.tokens.CreateToken(ctx, org.ID, inkform.RoleGateway, "reception pen")
	if err != nil {
		t.Fatal(err)
	}
	theirs, _, err := a.tokens.CreateToken(ctx, other.ID, inkform.RoleGateway, "their gateway")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(boss.get("/tokens").body, `href="/tokens/`+tok.ID+`/revoke"`) {
		t.Errorf("the list has no way to revoke the token")
	}
	confirm := boss.get("/tokens/" + tok.ID + "/revoke")
	confirm.wantStatus(t, "the confirmation", http.StatusOK)
	if !strings.Contains(confirm.body, "cannot be undone") || !strings.Contains(confirm.body, `action="/tokens/`+tok.ID+`/revoke"`) {
		t.Errorf("the confirmation page:\n%s", confirm.body)
	}
	if _, err := a.tokens.Authenticate(ctx, secret); err != nil {
		t.Fatalf("looking at the confirmation revoked the token: %v", err)
	}

	boss.get("/tokens/"+theirs.ID+"/revoke").wantStatus(t, "another org's token's confirmation", http.StatusNotFound)
	boss.post("/tokens", "/tokens/"+theirs.ID+"/revoke", url.Values{}).wantStatus(t, "another org's token", http.StatusNotFound)
	boss.do("POST", "/tokens/"+tok.ID+"/revoke", url.Values{"csrf": {"forged"}}).wantStatus(t, "a forged revocation", http.StatusForbidden)
	if _, err := a.tokens.Authenticate(ctx, secret); err != nil {
		t.Fatalf("a refused revocation revoked the token: %v", err)
	}

	boss.post("/tokens", "/tokens/"+tok.ID+"/revoke", url.Values{}).wantRedirect(t, "the revocation", "/tokens?revoked=1")
	if _, err := a.tokens.Authenticate(ctx, secret); inkform.ErrorCode(err) != inkform.EUNAUTHORIZED {
		t.Errorf("the revoked token still authenticates: %v", err)
	}
	if !a.heard(org.ID, tok.ID) {
		t.Errorf("no token notice for the revoked token")
	}
	if a.heard(other.ID, theirs.ID) {
		t.Errorf("a notice for the other org's token, which was not revoked")
	}
	if left, _ := a.tokens.ListTokens(ctx, other.ID); len(left) != 1 {
		t.Errorf("the other org has %d tokens, want its one", len(left))
	}
	ev := a.events(org.ID, inkform.AuditTokenDelete)
	if len(ev) != 1 || ev[0].Object.ID != tok.ID {
		t.Errorf("audit events %+v", ev)
	}
	if p := boss.get("/tokens?revoked=1"); !strings.Contains(p.body, "is revoked") || strings.Contains(p.body, "reception pen") {
		t.Errorf("the list after revoking:\n%s", p.body)
	}
	boss.post("/tokens", "/tokens/"+tok.ID+"/revoke", url.Values{}).wantStatus(t, "revoked twice", http.StatusNotFound)
}
