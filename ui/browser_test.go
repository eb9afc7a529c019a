package ui

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/log"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/internal/browsertest"
	"github.com/inkform/inkform/passwd"
	"github.com/inkform/inkform/sqlstore"
)

var screenshots = flag.Bool("screenshots", false, "write the browser test's screenshots to docs/ui/")

// tab is a headless browser tab for a test, closed when the test ends.
type tab struct {
	t   *testing.T
	ctx context.Context
}

// newTab starts chromium with a viewport of the size screenshots take.
func newTab(t *testing.T) *tab {
	t.Helper()
	ctx := browsertest.Tab(t, 1100, 760)
	tb := &tab{t: t, ctx: ctx}
	tb.do(chromedp.EmulateViewport(1100, 760))
	return tb
}

// do runs steps that return nothing, failing the test on an error.
func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatal(err)
	}
}

// submit runs steps that send a form and returns the status of the page
// the browser ends on (after redirects).
func (tb *tab) submit(what string, steps ...chromedp.Action[chromedp.Void]) int64 {
	tb.t.Helper()
	resp, err := chromedp.RunResponse(tb.ctx, steps...)
	if err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
	return resp.Status
}

// text returns the visible text of the page's main element.
func (tb *tab) text() string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		tb.t.Fatal(err)
	}
	return s
}

// path returns the path of the page the tab shows.
func (tb *tab) path() string {
	tb.t.Helper()
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		tb.t.Fatal(err)
	}
	i := strings.Index(strings.TrimPrefix(loc, "http://"), "/")
	return strings.TrimPrefix(loc, "http://")[i:]
}

// screenshot takes a PNG of the whole page, checks it, and with
// -screenshots writes it to docs/ui/name.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	buf, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatal(err)
	}
	img, err := png.DecodeConfig(bytes.NewReader(buf))
	if err != nil || img.Width != 1100 || img.Height < 400 {
		tb.t.Fatalf("screenshot %s: %+v, %v; want a PNG 1100 pixels wide", name, img, err)
	}
	if *screenshots {
		if err := os.WriteFile(filepath.Join("..", "docs", "ui", name), buf, 0o644); err != nil {
			tb.t.Fatal(err)
		}
	}
}

// policyViolations collects what the browser logs about the
// Content-Security-Policy: anything the policy blocked.
func (tb *tab) policyViolations() func() []string {
	var mu sync.Mutex
	var seen []string
	entries := chromedp.Events(tb.ctx, log.EntryAdded)
	go func() {
		for ev, err := range entries {
			if err != nil {
				return
			}
			if strings.Contains(ev.Entry.Text, "Content Security Policy") {
				mu.Lock()
				seen = append(seen, ev.Entry.Text)
				mu.Unlock()
			}
		}
	}()
	return func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), seen...) }
}

// acceptDialogs accepts every confirm() the page asks, counting them.
func (tb *tab) acceptDialogs() func() int {
	var mu sync.Mutex
	n := 0
	dialogs := chromedp.Events(tb.ctx, cdppage.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			mu.Lock()
			n++
			mu.Unlock()
			if _, err := chromedp.Call(tb.ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: true}); err != nil {
				return
			}
		}
	}()
	return func() int { mu.Lock(); defer mu.Unlock(); return n }
}

// newSQLiteOrg opens a migrated SQLite store in a temporary folder, closed
// when the test ends, with one org in it.
func newSQLiteOrg(t *testing.T) (*sqlstore.DB, *inkform.Org) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "inkform.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	org, err := db.CreateOrg(ctx, "Riverside Clinic")
	if err != nil {
		t.Fatal(err)
	}
	return db, org
}

// newBrowserConsole serves a console over a real SQLite store with a
// verifier whose password has the default (real) cost.
func newBrowserConsole(t *testing.T) (*httptest.Server, *sqlstore.DB) {
	t.Helper()
	ctx := context.Background()
	db, org := newSQLiteOrg(t)
	hash, err := passwd.Hash(password, passwd.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	u := &inkform.User{OrgID: org.ID, Email: "ann@example.org", Name: "Ann Verifier", Role: inkform.RoleVerifier, PasswordHash: hash}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	(&Server{Users: db, Orgs: db, Sessions: db, Audit: db}).Register(mux)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts, db
}

// TestBrowser signs in with Debian's chromium as a person would: a forged
// form is refused, the right password lands on the console, a wrong one
// repeated is throttled; the policy blocks nothing of the console's own,
// focus is visible, and the screenshots in docs/ui/ come from here.
func TestBrowser(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	ts, _ := newBrowserConsole(t)
	violations := tb.policyViolations()
	dialogs := tb.acceptDialogs()

	if status := tb.submit("GET /", chromedp.Navigate(ts.URL+"/")); status != 200 || tb.path() != "/login" {
		t.Fatalf("GET / signed out ended on %s (%d), want the sign-in page", tb.path(), status)
	}
	tb.screenshot("signin.png")
	tb.checkAccessible("the sign-in page")
	tb.checkFocusVisible()

	// A sign-in form whose token was tampered with is refused.
	status := tb.submit("forged sign-in",
		chromedp.SetValue(chromedp.CSS(`input[name="csrf"]`), "forged"),
		chromedp.SetValue(chromedp.ID("email"), "ann@example.org"),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
	if status != http.StatusForbidden || !strings.Contains(tb.text(), "expired") {
		t.Fatalf("a forged sign-in answered %d: %s", status, tb.text())
	}

	status = tb.submit("sign-in",
		chromedp.SetValue(chromedp.ID("email"), "ann@example.org"),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
	if status != 200 || tb.path() != "/" || !strings.Contains(tb.text(), "Riverside Clinic") {
		t.Fatalf("sign-in ended on %s (%d): %s", tb.path(), status, tb.text())
	}
	tb.screenshot("console.png")
	tb.checkAccessible("the console's home page")

	// A sign-out form with a forged token, and one posted by another
	// origin (same site, so the Lax cookie goes along), are refused.
	status = tb.submit("forged sign-out",
		chromedp.SetValue(chromedp.CSS(`form[action="/logout"] input[name="csrf"]`), "forged"),
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))
	if status != http.StatusForbidden {
		t.Errorf("a forged sign-out answered %d", status)
	}
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><title>Prize</title><form method="post" action="%s/logout">`+
			`<input type="hidden" name="csrf" value="guessed"><button id="go">Claim your prize</button></form>`, ts.URL)
	}))
	defer evil.Close()
	tb.do(chromedp.Navigate(evil.URL))
	if status := tb.submit("cross-origin sign-out", chromedp.Click(chromedp.ID("go"))); status != http.StatusForbidden {
		t.Errorf("a sign-out posted by another origin answered %d", status)
	}
	if status := tb.submit("GET / after the forgeries", chromedp.Navigate(ts.URL+"/")); status != 200 || tb.path() != "/" {
		t.Fatalf("after the forged posts the console is at %s (%d), want still signed in", tb.path(), status)
	}

	// Signing out everywhere asks first (app.js, so the policy let the
	// module run), then ends the session.
	status = tb.submit("sign out everywhere", chromedp.Click(chromedp.CSS(`form[action="/logout/everywhere"] button`)))
	if status != 200 || tb.path() != "/login?signed_out=everywhere" || dialogs() != 1 {
		t.Fatalf("sign out everywhere ended on %s (%d) after %d dialogs", tb.path(), status, dialogs())
	}

	// Wrong passwords: the form comes back until the account's budget is
	// spent, then the right password too is refused for a while.
	for i := range accountBurst {
		status = tb.submit("wrong password",
			chromedp.SetValue(chromedp.ID("email"), "ann@example.org"),
			chromedp.SendKeys(chromedp.ID("password"), "wrong password "+fmt.Sprint(i)),
			chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
		if status != 200 || !strings.Contains(tb.text(), "not right") {
			t.Fatalf("wrong password %d answered %d: %s", i+1, status, tb.text())
		}
	}
	status = tb.submit("the right password, throttled",
		chromedp.SetValue(chromedp.ID("email"), "ann@example.org"),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
	if status != http.StatusTooManyRequests || !strings.Contains(tb.text(), "Too many failed sign-ins") {
		t.Fatalf("after %d wrong passwords the right one answered %d: %s", accountBurst, status, tb.text())
	}
	if v := violations(); len(v) > 0 {
		t.Errorf("the Content-Security-Policy blocked: %q", v)
	}
}

// checkFocusVisible tabs through the sign-in form and checks that every
// control the keyboard reaches shows a focus outline.
func (tb *tab) checkFocusVisible() {
	tb.t.Helper()
	reached := map[string]bool{}
	for range 8 {
		tb.do(chromedp.KeyEvent("\t"))
		style, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](
			`[document.activeElement.id || document.activeElement.tagName, getComputedStyle(document.activeElement).outlineStyle]`))
		if err != nil {
			tb.t.Fatal(err)
		}
		reached[style[0]] = true
		if style[1] == "none" {
			tb.t.Errorf("%s has focus without an outline", style[0])
		}
		if style[0] == "BUTTON" {
			break // the form's last control; beyond it the browser's own
		}
	}
	for _, want := range []string{"password", "SUMMARY", "BUTTON"} {
		if !reached[want] {
			tb.t.Errorf("the keyboard never reached %s (reached %v)", want, reached)
		}
	}
}
