package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// addUser runs `inkform user create` with the password on stdin, as an
// operator would, and returns the user's ID.
func (s *server) addUser(t *testing.T, org, email, role, password string) string {
	t.Helper()
	var out, errb bytes.Buffer
	args := append([]string{"user", "create", "--org", org, "--email", email, "--role", role}, s.args...)
	if code := run(context.Background(), args, strings.NewReader(password+"\n"), &out, &errb); code != 0 {
		t.Fatalf("user create: exit %d: %s", code, errb.String())
	}
	return strings.TrimSpace(out.String())
}

// TestConsoleSignIn runs the console as `inkform serve` mounts it, on the
// API's listener: the contract scripts rely on (GET / → 303 /login, the
// form posts email, password and csrf to /login, a good sign-in is a 303
// with the session cookie), the audit event, and the API beside it.
func TestConsoleSignIn(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	tokens := s.org(t, "Clinic", "admin")
	userID := s.addUser(t, "Clinic", "ann@example.org", "verifier", "correct horse battery")

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp := getPage(t, c, s.url+"/")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("GET / signed out: %d to %q, want 303 to /login", resp.StatusCode, resp.Header.Get("Location"))
	}
	form := getPage(t, c, s.url+"/login")
	if form.StatusCode != 200 || !strings.Contains(form.Header.Get("Content-Security-Policy"), "script-src 'self'") ||
		form.Header.Get("X-Frame-Options") != "DENY" {
		t.Fatalf("GET /login: %d, headers %v", form.StatusCode, form.Header)
	}
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(form.body)
	if m == nil {
		t.Fatalf("no CSRF token on the sign-in page:\n%s", form.body)
	}
	resp = postPage(t, c, s.url+"/login", url.Values{"csrf": {m[1]}, "email": {"ann@example.org"}, "password": {"correct horse battery"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("sign-in: %d to %q\n%s", resp.StatusCode, resp.Header.Get("Location"), resp.body)
	}
	if sc := resp.Header.Get("Set-Cookie"); !strings.Contains(sc, "inkform_session=") || !strings.Contains(sc, "HttpOnly") {
		t.Errorf("sign-in Set-Cookie %q", sc)
	}
	if home := getPage(t, c, s.url+"/"); home.StatusCode != 200 || !strings.Contains(home.body, "ann@example.org") {
		t.Errorf("GET / signed in: %d\n%s", home.StatusCode, home.body)
	}

	r := s.call(t, "GET", "/api/v1/audit?action=user.sign_in", tokens["admin"], "", nil)
	want(t, r, 200, "audit of the sign-in")
	if !strings.Contains(string(r.body), userID) {
		t.Errorf("the audit log has no sign-in of %s: %s", userID, r.body)
	}
	// The API keeps its own answers beside the console.
	want(t, s.call(t, "GET", "/api/v1/nothing", "", "", nil), 404, "an unknown API route")
	want(t, s.call(t, "GET", "/healthz", "", "", nil), 200, "healthz")
}

// TestConsoleSecureCookies: behind a TLS proxy the console's cookies are
// Secure, with the __Host- prefix.
func TestConsoleSecureCookies(t *testing.T) {
	t.Parallel()
	s := startServerArgs(t, nil, []string{"--behind-tls-proxy"})
	form := getPage(t, http.DefaultClient, s.url+"/login")
	sc := form.Header.Get("Set-Cookie")
	if !strings.HasPrefix(sc, "__Host-inkform_signin=") || !strings.Contains(sc, "; Secure") {
		t.Errorf("behind a TLS proxy the sign-in cookie is %q", sc)
	}
}

// page is an answer with its body read.
type page struct {
	*http.Response
	body string
}

func getPage(t testing.TB, c *http.Client, u string) page {
	t.Helper()
	resp, err := c.Get(u)
	return readPage(t, resp, err)
}

func postPage(t testing.TB, c *http.Client, u string, form url.Values) page {
	t.Helper()
	resp, err := c.PostForm(u, form)
	return readPage(t, resp, err)
}

func readPage(t testing.TB, resp *http.Response, err error) page {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return page{Response: resp, body: string(b)}
}
