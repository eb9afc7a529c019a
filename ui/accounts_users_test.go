package ui

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

var passwordOnPage = regexp.MustCompile(`id="user-password" class="secret-value" value="([^"]+)"`)

// shownPassword returns the password a page shows, failing without one.
func (p *page) shownPassword(t *testing.T) string {
	t.Helper()
	m := passwordOnPage.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no password on the page:\n%s", p.body)
	}
	if n := strings.Count(p.body, m[1]); n != 1 {
		t.Errorf("the password is on the page %d times, want once", n)
	}
	return m[1]
}

// TestUserCreate: an admin adds a user, whose password is shown once and
// signs them in; bad and duplicate addresses are refused with a message.
func TestUserCreate(t *testing.T) {
	t.Parallel()
	a := newAccountsHarness(t)
	org := a.org("Clinic")
	boss, bossUser := a.signedIn(t, org, "boss@example.org", inkform.RoleAdmin)

	made := boss.post("/admin/users", "/admin/users", url.Values{"email": {" Ann@Example.org "}, "name": {"Ann"}, "role": {"verifier"}})
	made.wantStatus(t, "POST /admin/users", http.StatusCreated)
	pw := made.shownPassword(t)
	ann, err := a.users.FindUserByEmail(context.Background(), org.ID, "ann@example.org")
	if err != nil || ann.Role != inkform.RoleVerifier || ann.Name != "Ann" || strings.Contains(ann.PasswordHash, pw) {
		t.Fatalf("user stored: %+v, %v", ann, err)
	}
	a.browser(t).mustSignIn("ann@example.org", pw)
	if strings.Contains(a.logs.String(), pw) {
		t.Errorf("the password is in the log")
	}
	list := boss.get("/admin/users")
	list.wantStatus(t, "GET /admin/users", http.StatusOK)
	if strings.Contains(list.body, pw) || !strings.Contains(list.body, `href="/admin/users/`+ann.ID+`"`) {
		t.Errorf("the list shows the password or lacks the user:\n%s", list.body)
	}
	ev := a.events(org.ID, inkform.AuditUserCreate)
	if len(ev) != 1 || ev[0].Object.ID != ann.ID || ev[0].Actor != "user "+bossUser.ID || ev[0].Detail != "role verifier" {
		t.Errorf("audit events %+v", ev)
	}

	for _, p := range wantRefused(t, "/admin/users", []refusal{
		{"not an address", boss, "/admin/users", url.Values{"email": {"ann"}, "role": {"verifier"}}, http.StatusUnprocessableEntity, "must be an e-mail address"},
		{"unknown role", boss, "/admin/users", url.Values{"email": {"bob@example.org"}, "role": {"root"}}, http.StatusUnprocessableEntity, "role must be one of"},
		{"taken", boss, "/admin/users", url.Values{"email": {"ANN@example.org"}, "role": {"admin"}}, http.StatusConflict, "already has a user ann@example.org"},
	}) {
		if passwordOnPage.MatchString(p.body) {
			t.Errorf("a refused form's page shows a password:\n%s", p.body)
		}
	}
	if users, _ := a.users.ListUsers(context.Background(), org.ID); len(users) != 2 {
		t.Errorf("%d users after the refused forms, want 2", len(users))
	}
}

// TestUserUpdate: role, disable (which signs the user out), enable and
// reset, each audited; the last admin and the admin themselves are kept.
func TestUserUpdate(t *testing.T) {
	t.Parallel()
	a := newAccountsHarness(t)
	ctx := context.Background()
	org := a.org("Clinic")
	boss, bossUser := a.signedIn(t, org, "boss@example.org", inkform.RoleAdmin)
	annB, ann := a.signedIn(t, org, "ann@example.org", inkform.RoleVerifier)
	at := "/admin/users/" + ann.ID
	update := func(form url.Values) *page {
		t.Helper()
		return boss.post(at, at, form)
	}

	show := boss.get(at)
	show.wantStatus(t, "GET "+at, http.StatusOK)
	if !strings.Contains(show.body, "ann@example.org") || !strings.Contains(show.body, `value="disable"`) || !strings.Contains(show.body, "/totp") {
		t.Errorf("the user page:\n%s", show.body)
	}

	update(url.Values{"action": {"role"}, "role": {"verifier"}}).wantRedirect(t, "the same role", at)
	update(url.Values{"action": {"role"}, "role": {"designer"}}).wantRedirect(t, "role", at+"?done=role")
	if u, _ := a.users.FindUserByID(ctx, org.ID, ann.ID); u.Role != inkform.RoleDesigner {
		t.Errorf("role %s after the change", u.Role)
	}
	annB.get("/").wantStatus(t, "ann after the role change", http.StatusOK)

	update(url.Values{"action": {"disable"}}).wantRedirect(t, "disable", at+"?done=disable")
	annB.get("/").wantRedirect(t, "ann's session after she is disabled", "/login")
	if p := boss.get(at + "?done=disable"); !strings.Contains(p.body, "signed out everywhere") || !strings.Contains(p.body, `value="enable"`) {
		t.Errorf("the page after disabling:\n%s", p.body)
	}
	update(url.Values{"action": {"enable"}}).wantRedirect(t, "enable", at+"?done=enable")

	reset := update(url.Values{"action": {"reset"}})
	reset.wantStatus(t, "reset", http.StatusOK)
	pw := reset.shownPassword(t)
	if p := a.browser(t).signIn("ann@example.org", password, ""); p.StatusCode == http.StatusSeeOther && p.Header.Get("Location") == "/" {
		t.Errorf("the old password still signs in")
	}
	a.browser(t).mustSignIn("ann@example.org", pw)

	for action, detail := range map[string]string{inkform.AuditUserRole: "role designer, was verifier", inkform.AuditUserDisable: "",
		inkform.AuditUserEnable: "", inkform.AuditUserPasswordReset: ""} {
		ev := a.events(org.ID, action)
		if len(ev) != 1 || ev[0].Object != (inkform.AuditObject{Kind: "user", ID: ann.ID}) || ev[0].Actor != "user "+bossUser.ID || ev[0].Detail != detail {
			t.Errorf("%s: audit events %+v", action, ev)
		}
	}
}

// TestUserUpdateRefused: what the users pages refuse, and that a refusal
// changes nothing.
func TestUserUpdateRefused(t *testing.T) {
	t.Parallel()
	a := newAccountsHarness(t)
	ctx := context.Background()
	org, other := a.org("Clinic"), a.org("Elsewhere")
	boss, bossUser := a.signedIn(t, org, "boss@example.org", inkform.RoleAdmin)
	ann := a.user(org, "ann@example.org", inkform.RoleVerifier, password)
	eve := a.user(other, "eve@example.org", inkform.RoleVerifier, password)
	verifier, _ := a.signedIn(t, org, "val@example.org", inkform.RoleVerifier)
	self := "/admin/users/" + bossUser.ID
	wantRefused(t, "/", []refusal{
		{"disable yourself", boss, self, url.Values{"action": {"disable"}}, http.StatusConflict, "cannot disable yourself"},
		{"demote the last admin", boss, self, url.Values{"action": {"role"}, "role": {"verifier"}}, http.StatusConflict, "last enabled administrator"},
		{"unknown role", boss, "/admin/users/" + ann.ID, url.Values{"action": {"role"}, "role": {"root"}}, http.StatusUnprocessableEntity, "roles listed"},
		{"unknown action", boss, "/admin/users/" + ann.ID, url.Values{"action": {"delete"}}, http.StatusBadRequest, "does not do"},
		{"another org's user", boss, "/admin/users/" + eve.ID, nil, http.StatusNotFound, "no such user"},
		{"disable another org's user", boss, "/admin/users/" + eve.ID, url.Values{"action": {"disable"}}, http.StatusNotFound, "no such user"},
		{"a verifier's list", verifier, "/admin/users", nil, http.StatusForbidden, "does not include"},
		{"a verifier's reset", verifier, "/admin/users/" + ann.ID, url.Values{"action": {"reset"}}, http.StatusForbidden, "does not include"},
		{"a verifier adds an admin", verifier, "/admin/users", url.Values{"email": {"x@example.org"}, "role": {"admin"}}, http.StatusForbidden, "does not include"},
	})
	boss.do("POST", "/admin/users/"+ann.ID, url.Values{"csrf": {"forged"}, "action": {"disable"}}).wantStatus(t, "forged", http.StatusForbidden)
	for _, u := range []*inkform.User{bossUser, ann, eve} {
		got, err := a.users.FindUserByID(ctx, u.OrgID, u.ID)
		if err != nil || got.Disabled || got.Role != u.Role || got.PasswordHash != u.PasswordHash {
			t.Errorf("%s changed by refused forms: %+v, %v", u.Email, got, err)
		}
	}
	if users, _ := a.users.ListUsers(ctx, org.ID); len(users) != 3 {
		t.Errorf("%d users, want 3", len(users))
	}
	// With a second admin, the first may step down.
	a.user(org, "deputy@example.org", inkform.RoleAdmin, password)
	boss.post(self, self, url.Values{"action": {"role"}, "role": {"designer"}}).wantRedirect(t, "stepping down", "/")
}
