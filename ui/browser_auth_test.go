package ui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/oidc"
	"github.com/inkform/inkform/oidc/oidctest"
	"github.com/inkform/inkform/passwd"
	"github.com/inkform/inkform/twofactor"
)

// TestBrowserSecondFactor, in chromium over a real SQLite store: a
// person sets up a second factor from the console (the test reads the
// secret off the page and computes the codes), signs out, signs in with
// password and code; a wrong code is refused; a recovery code works once.
// Then single sign-on through a provider the test runs on 127.0.0.1 ends
// on the console, and an unverified address is refused. Every new page
// passes axe.
func TestBrowserSecondFactor(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	ctx := context.Background()
	db, org := newSQLiteOrg(t)
	hash, err := passwd.Hash(password, cheap)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUser(ctx, &inkform.User{OrgID: org.ID, Email: "ann@example.org", Name: "Ann", Role: inkform.RoleVerifier, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	idp := oidctest.New()
	t.Cleanup(idp.Close)
	srv := &Server{Users: db, Orgs: db, Sessions: db, Audit: db, TOTP: db}
	mux := http.NewServeMux()
	srv.Register(mux)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	srv.SSO = &SSO{Orgs: []string{org.ID}, Provider: oidc.New(oidc.Config{Name: "Riverside ID", Issuer: idp.URL,
		ClientID: idp.ClientID, ClientSecret: idp.ClientSecret, RedirectURL: ts.URL + "/login/sso/callback"})}
	violations := tb.policyViolations()

	signIn := func(what string) {
		t.Helper()
		tb.do(chromedp.Navigate(ts.URL + "/login"))
		tb.submit(what, chromedp.SetValue(chromedp.ID("email"), "ann@example.org"),
			chromedp.SendKeys(chromedp.ID("password"), password),
			chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
	}
	code := func(what, value string) int64 {
		t.Helper()
		return tb.submit(what, chromedp.SendKeys(chromedp.ID("code"), value), chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
	}
	signIn("sign-in")
	if tb.path() != "/" {
		t.Fatalf("sign-in ended on %s", tb.path())
	}
	tb.submit("the second factor's link", chromedp.Click(chromedp.CSS(`a[href="/account/totp"]`)))
	tb.screenshot("totp-enrol.png")
	tb.checkAccessible("the enrolment page")
	secret, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.ID("totp-secret")))
	if err != nil {
		t.Fatal(err)
	}
	secret = strings.ReplaceAll(secret, " ", "")
	loaded, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`document.querySelector("img.qr").naturalWidth > 0`))
	if err != nil || !loaded {
		t.Errorf("the QR code did not load: %v", err)
	}
	now, _ := twofactor.Code(secret, time.Now())
	if status := code("first code", now); status != 200 || !strings.Contains(tb.text(), "recovery codes") {
		t.Fatalf("the first code answered %d: %s", status, tb.text())
	}
	tb.checkAccessible("the recovery codes page")
	codes := regexp.MustCompile(`[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}`).FindAllString(tb.text(), -1)
	if len(codes) != inkform.RecoveryCodeCount {
		t.Fatalf("%d recovery codes on the page: %s", len(codes), tb.text())
	}

	signOut := func() {
		t.Helper()
		tb.do(chromedp.Navigate(ts.URL + "/"))
		tb.submit("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))
	}
	signOut()
	signIn("password of a user with a second factor")
	if tb.path() != "/login/code" {
		t.Fatalf("the password ended on %s, want the code page", tb.path())
	}
	tb.checkAccessible("the code page")
	if status := code("wrong code", "12345x"); status != 200 || !strings.Contains(tb.text(), "not right") {
		t.Fatalf("a wrong code answered %d: %s", status, tb.text())
	}
	// The enrolment's code is spent; the next step's is fresh.
	next, _ := twofactor.Code(secret, time.Now().Add(twofactor.Period*time.Second))
	if status := code("the next code", next); status != 200 || tb.path() != "/" {
		t.Fatalf("the right code ended on %s (%d): %s", tb.path(), status, tb.text())
	}
	for i, want := range []string{"/", "/login/code"} {
		signOut()
		signIn("password before a recovery code")
		code("recovery code", codes[0])
		if tb.path() != want {
			t.Fatalf("recovery code, use %d, ended on %s, want %s", i+1, tb.path(), want)
		}
	}

	// Single sign-on: the sign-in page's button, the provider, the console.
	tb.do(chromedp.Navigate(ts.URL + "/login"))
	idp.SignIn(oidctest.User{Subject: "ann-1", Email: "ann@example.org", EmailVerified: true})
	if status := tb.submit("single sign-on", chromedp.Click(chromedp.CSS(`a.sso`))); status != 200 || tb.path() != "/" ||
		!strings.Contains(tb.text(), "Riverside Clinic") {
		t.Fatalf("single sign-on ended on %s (%d): %s", tb.path(), status, tb.text())
	}
	signOut()
	tb.checkAccessible("the sign-in page with single sign-on")
	idp.SignIn(oidctest.User{Subject: "ann-1", Email: "ann@example.org"})
	if status := tb.submit("unverified single sign-on", chromedp.Click(chromedp.CSS(`a.sso`))); status != http.StatusForbidden ||
		!strings.Contains(tb.text(), "has not verified") {
		t.Fatalf("an unverified address answered %d: %s", status, tb.text())
	}
	tb.checkAccessible("the refused single sign-on page")
	if v := violations(); len(v) > 0 {
		t.Errorf("the Content-Security-Policy blocked: %q", v)
	}
}
