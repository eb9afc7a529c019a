package ui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/passwd"
	"github.com/inkform/inkform/sqlstore"
)

// newAccountsConsole serves a console with the accounts pages over
// newBrowserConsole's SQLite store, with an admin (boss@example.org) of
// its "Riverside Clinic" beside its verifier ann@example.org.
func newAccountsConsole(t *testing.T) (*httptest.Server, *sqlstore.DB, *inkform.User) {
	t.Helper()
	ctx := context.Background()
	_, db := newBrowserConsole(t)
	org, err := db.FindOrgByName(ctx, "Riverside Clinic")
	if err != nil {
		t.Fatal(err)
	}
	hash, err := passwd.Hash(password, cheap)
	if err != nil {
		t.Fatal(err)
	}
	boss := &inkform.User{OrgID: org.ID, Email: "boss@example.org", Name: "Bo Admin", Role: inkform.RoleAdmin, PasswordHash: hash}
	if err := db.CreateUser(ctx, boss); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	(&Server{Users: db, Orgs: db, Sessions: db, Audit: db, TOTP: db, Tokens: db, Notifier: inkform.NewLocalNotifier(),
		passwordParams: &cheap}).Register(mux)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts, db, boss
}

// visitOK runs steps that end on a page and fails unless its status is want.
func (tb *tab) visitOK(what string, want int64, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if status := tb.submit(what, steps...); status != want {
		tb.t.Fatalf("%s answered %d on %s, want %d:\n%s", what, status, tb.path(), want, tb.text())
	}
}

// TestBrowserTokenOnce: an admin makes a token in chromium and sees its
// secret once, with a working Copy button; the list, reloaded, never
// shows it; revoking asks first and the token stops working. Every page
// passes axe; docs/ui/tokens*.png come from here.
func TestBrowserTokenOnce(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	ts, db, _ := newAccountsConsole(t)
	ctx := context.Background()
	violations := tb.policyViolations()
	tb.signIn(ts.URL, "boss@example.org")

	tb.visitOK("the tokens page", http.StatusOK, chromedp.Click(chromedp.CSS(`a[href="/tokens"]`)))
	tb.checkAccessible("the tokens page (empty)")
	tb.visitOK("making a token", http.StatusCreated,
		chromedp.SendKeys(chromedp.ID("token-name"), "Front desk gateway"),
		chromedp.SetValue(chromedp.ID("token-role"), "gateway"),
		chromedp.Click(chromedp.CSS(`form[action="/tokens"] button[type="submit"]`)))
	secret := eval[string](tb, `document.getElementById("token-secret").value`)
	if !strings.HasPrefix(secret, inkform.TokenPrefix) {
		t.Fatalf("the page shows %q as the secret", secret)
	}
	if !strings.Contains(tb.text(), "shown only this once") {
		t.Errorf("no warning that the secret is shown once:\n%s", tb.text())
	}
	tok, err := db.Authenticate(ctx, secret)
	if err != nil || tok.Name != "Front desk gateway" || tok.Role != inkform.RoleGateway {
		t.Fatalf("the secret shown authenticates %+v, %v", tok, err)
	}
	// The Copy button comes with the script; the clipboard may refuse a
	// headless browser, and then the secret is selected instead.
	if eval[bool](tb, `document.querySelector("button.copy").hidden`) {
		t.Fatal("the Copy button is hidden: accounts.js did not run")
	}
	tb.do(chromedp.Click(chromedp.CSS("button.copy")))
	tb.waitFor("the Copy button's answer", `document.querySelector(".copied").textContent !== ""`)
	tb.checkAccessible("the new token's page")
	tb.screenshot("token_new.png")

	tb.visitOK("the list again", http.StatusOK, chromedp.Click(chromedp.CSS(`a[href="/tokens"]`)))
	tb.visitOK("the list reloaded", http.StatusOK, chromedp.Reload())
	html := eval[string](tb, `document.documentElement.outerHTML`)
	if strings.Contains(html, secret) || strings.Contains(html, secret[len(tok.Hint):]) {
		t.Errorf("the list shows the secret again")
	}
	if !strings.Contains(tb.text(), "Front desk gateway") || !strings.Contains(tb.text(), tok.Hint+"…") {
		t.Errorf("the list lacks the token:\n%s", tb.text())
	}
	tb.checkAccessible("the tokens page")
	tb.screenshot("tokens.png")

	tb.visitOK("the revoke confirmation", http.StatusOK, chromedp.Click(chromedp.CSS(`a[href="/tokens/`+tok.ID+`/revoke"]`)))
	if _, err := db.Authenticate(ctx, secret); err != nil {
		t.Fatalf("the confirmation page revoked the token: %v", err)
	}
	tb.checkAccessible("the revoke confirmation")
	tb.screenshot("token_revoke.png")
	tb.visitOK("revoking", http.StatusOK, chromedp.Click(chromedp.CSS(`form[action$="/revoke"] button[type="submit"]`)))
	if tb.path() != "/tokens?revoked=1" || !strings.Contains(tb.text(), "is revoked") || strings.Contains(tb.text(), "Front desk gateway") {
		t.Errorf("after revoking, %s shows:\n%s", tb.path(), tb.text())
	}
	if _, err := db.Authenticate(ctx, secret); inkform.ErrorCode(err) != inkform.EUNAUTHORIZED {
		t.Errorf("the revoked token authenticates: %v", err)
	}
	if v := violations(); len(v) > 0 {
		t.Errorf("the policy blocked: %v", v)
	}
}

// TestBrowserUsers: an admin adds a user in chromium and reads the
// password once, changes the role, disables (after confirming) and
// enables the user, and gives a new password; the admin cannot disable
// themselves. Every page passes axe; docs/ui/user*.png come from here.
func TestBrowserUsers(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	ts, db, boss := newAccountsConsole(t)
	ctx := context.Background()
	violations := tb.policyViolations()
	dialogs := tb.acceptDialogs()
	tb.signIn(ts.URL, "boss@example.org")

	tb.visitOK("the users page", http.StatusOK, chromedp.Click(chromedp.CSS(`a[href="/admin/users"]`)))
	tb.checkAccessible("the users page")
	tb.visitOK("adding a user", http.StatusCreated,
		chromedp.SendKeys(chromedp.ID("user-email"), "carl@example.org"),
		chromedp.SendKeys(chromedp.ID("user-name"), "Carl Nurse"),
		chromedp.SetValue(chromedp.ID("user-role"), "verifier"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/users"] button[type="submit"]`)))
	pw := eval[string](tb, `document.getElementById("user-password").value`)
	carl, err := db.FindUserByEmail(ctx, boss.OrgID, "carl@example.org")
	if err != nil || carl.Role != inkform.RoleVerifier {
		t.Fatalf("user stored: %+v, %v", carl, err)
	}
	if ok, err := passwd.Verify(pw, carl.PasswordHash); !ok || err != nil {
		t.Fatalf("the password shown is not the user's: %v", err)
	}
	tb.checkAccessible("the new user's password")
	tb.screenshot("user_password.png")

	tb.visitOK("the users page again", http.StatusOK, chromedp.Click(chromedp.CSS(`a[href="/admin/users"]`)))
	if strings.Contains(eval[string](tb, `document.documentElement.outerHTML`), pw) {
		t.Errorf("the users page shows the password")
	}
	tb.screenshot("users.png")

	tb.visitOK("the user's page", http.StatusOK, chromedp.Click(chromedp.CSS(`a[href="/admin/users/`+carl.ID+`"]`)))
	tb.checkAccessible("a user's page")
	tb.visitOK("the role", http.StatusOK,
		chromedp.SetValue(chromedp.ID("user-role"), "designer"),
		chromedp.Click(chromedp.CSS(`form:has(input[value="role"]) button[type="submit"]`)))
	tb.visitOK("disabling", http.StatusOK, chromedp.Click(chromedp.CSS(`form:has(input[value="disable"]) button[type="submit"]`)))
	if !strings.Contains(tb.text(), "signed out everywhere") {
		t.Errorf("after disabling:\n%s", tb.text())
	}
	tb.checkAccessible("a disabled user's page")
	tb.screenshot("user.png")
	if u, _ := db.FindUserByID(ctx, boss.OrgID, carl.ID); !u.Disabled || u.Role != inkform.RoleDesigner {
		t.Errorf("stored after role and disable: %+v", u)
	}
	tb.visitOK("enabling", http.StatusOK, chromedp.Click(chromedp.CSS(`form:has(input[value="enable"]) button[type="submit"]`)))
	tb.visitOK("a new password", http.StatusOK, chromedp.Click(chromedp.CSS(`form:has(input[value="reset"]) button[type="submit"]`)))
	pw2 := eval[string](tb, `document.getElementById("user-password").value`)
	if u, _ := db.FindUserByID(ctx, boss.OrgID, carl.ID); u.Disabled || pw2 == pw {
		t.Errorf("after enabling and a reset: %+v, the same password %v", u, pw2 == pw)
	} else if ok, _ := passwd.Verify(pw2, u.PasswordHash); !ok {
		t.Errorf("the new password shown is not the user's")
	}
	if n := dialogs(); n != 2 {
		t.Errorf("%d confirmations asked, want 2 (disable, new password)", n)
	}

	tb.visitOK("your own page", http.StatusOK, chromedp.Navigate(ts.URL+"/admin/users/"+boss.ID))
	if !strings.Contains(tb.text(), "You cannot disable yourself") {
		t.Errorf("the admin's own page offers disabling:\n%s", tb.text())
	}
	if v := violations(); len(v) > 0 {
		t.Errorf("the policy blocked: %v", v)
	}
}
