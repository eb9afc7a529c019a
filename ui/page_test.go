package ui

import (
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// TestHeaders: every console response, pages, errors and static files,
// carries the strict policy; pages are never cached.
func TestHeaders(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.user(h.org("Clinic"), "ann@example.org", inkform.RoleVerifier, password)
	b := h.browser(t)
	pages := map[string]*page{"GET / signed out": b.get("/"), "GET /login": b.get("/login")}
	b.mustSignIn("ann@example.org", password)
	pages["GET /"] = b.get("/")
	pages["GET /verify"] = b.get("/verify")
	pages["POST /logout without a token"] = b.do("POST", "/logout", nil)
	pages["GET /static/app.css"] = b.get("/static/app.css")
	for name, p := range pages {
		if got := p.Header.Get("Content-Security-Policy"); got != contentSecurityPolicy {
			t.Errorf("%s: Content-Security-Policy %q", name, got)
		}
		if p.Header.Get("X-Content-Type-Options") != "nosniff" || p.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", name, p.Header)
		}
		if !strings.HasPrefix(name, "GET /static") && p.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", name, p.Header.Get("Cache-Control"))
		}
	}
	for _, directive := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "form-action 'self'"} {
		if !strings.Contains(contentSecurityPolicy, directive) {
			t.Errorf("the policy lacks %s", directive)
		}
	}
	if strings.Contains(contentSecurityPolicy, "unsafe") {
		t.Error("the policy allows something unsafe")
	}
}

// TestNoInlineCode holds the templates to the policy: a script must name
// its file, and nothing may be inline.
func TestNoInlineCode(t *testing.T) {
	t.Parallel()
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil || len(names) == 0 {
		t.Fatalf("templates: %v", err)
	}
	for _, name := range names {
		data, err := fs.ReadFile(files, name)
		if err != nil {
			t.Fatal(err)
		}
		src := string(data)
		for _, script := range regexp.MustCompile(`<script[^>]*>`).FindAllString(src, -1) {
			if !strings.Contains(script, ` src="`) {
				t.Errorf("%s: a script without src: %s", name, script)
			}
		}
		if m := regexp.MustCompile(`(?i)<style|\sstyle=|\son[a-z]+=|javascript:`).FindString(src); m != "" {
			t.Errorf("%s: inline code %q", name, m)
		}
	}
}

var (
	inputTag  = regexp.MustCompile(`<(input|select|textarea|button)\b[^>]*>`)
	idAttr    = regexp.MustCompile(`\sid="([^"]+)"`)
	labelFor  = regexp.MustCompile(`<label for="([^"]+)"`)
	buttonTxt = regexp.MustCompile(`(?s)<button\b[^>]*>(.*?)</button>`)
	anyTag    = regexp.MustCompile(`<[^>]*>`)
)

// TestAccessible checks each rendered page for what an assistive reader
// needs: a language, a title, a label for every control, a named button,
// one h1, and the skip link.
func TestAccessible(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	org := h.org("Clinic")
	h.user(org, "admin@example.org", inkform.RoleAdmin, password)
	h.forms.Put(intake(org.ID))
	h.docs.Put(waitingDoc(org.ID, "01doc1", h.clock.now()), inkOf("01doc1"))
	b := h.browser(t)
	rendered := map[string]string{"sign-in": b.get("/login").body}
	rendered["sign-in failed"] = b.signIn("admin@example.org", "wrong password!", "Clinic").body
	b.mustSignIn("admin@example.org", password)
	rendered["home"] = b.get("/").body
	rendered["verify"] = b.get("/verify").body
	rendered["station"] = b.get("/verify/documents/01doc1").body
	rendered["error"] = b.do("POST", "/logout", nil).body
	for name, body := range rendered {
		if !strings.Contains(body, `<html lang="en">`) {
			t.Errorf("%s: no lang attribute", name)
		}
		if !regexp.MustCompile(`<title>[^<]+ · inkform</title>`).MatchString(body) {
			t.Errorf("%s: no title", name)
		}
		if n := strings.Count(body, "<h1"); n != 1 {
			t.Errorf("%s: %d h1 elements, want 1", name, n)
		}
		if !strings.Contains(body, `<a class="skip" href="#main">`) || !strings.Contains(body, `<main id="main"`) {
			t.Errorf("%s: no skip link to the main content", name)
		}
		labels := map[string]bool{}
		for _, m := range labelFor.FindAllStringSubmatch(body, -1) {
			labels[m[1]] = true
		}
		for _, tag := range inputTag.FindAllString(body, -1) {
			if strings.Contains(tag, `type="hidden"`) || strings.HasPrefix(tag, "<button") {
				continue
			}
			if id := idAttr.FindStringSubmatch(tag); id == nil || !labels[id[1]] {
				t.Errorf("%s: a control without a label: %s", name, tag)
			}
		}
		for _, m := range buttonTxt.FindAllStringSubmatch(body, -1) {
			if strings.TrimSpace(anyTag.ReplaceAllString(m[1], "")) == "" {
				t.Errorf("%s: a button without a name", name)
			}
		}
		if n := strings.Count(body, "<button"); n != len(buttonTxt.FindAllString(body, -1)) {
			t.Errorf("%s: %d buttons, %d with text", name, n, len(buttonTxt.FindAllString(body, -1)))
		}
	}
	if !strings.Contains(rendered["sign-in failed"], `role="alert"`) || !strings.Contains(rendered["sign-in failed"], `aria-invalid="true"`) {
		t.Error("a failed sign-in is not announced or the fields not marked")
	}
}

func TestStatic(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	for name, ctype := range map[string]string{"app.css": "text/css", "app.js": "text/javascript", "icon.svg": "image/svg+xml"} {
		u, err := h.srv.static.url(name)
		if err != nil {
			t.Fatal(err)
		}
		p := b.get(u)
		p.wantStatus(t, u, http.StatusOK)
		if !strings.HasPrefix(p.Header.Get("Content-Type"), ctype) || p.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Content-Type %q, Cache-Control %q", u, p.Header.Get("Content-Type"), p.Header.Get("Cache-Control"))
		}
		if want, _ := fs.ReadFile(files, "static/"+name); p.body != string(want) {
			t.Errorf("%s: served other content", u)
		}
		if again := b.do("GET", u, nil, "If-None-Match", p.Header.Get("ETag")); again.StatusCode != http.StatusNotModified {
			t.Errorf("%s with its ETag: %d, want 304", u, again.StatusCode)
		}
		if old := b.get("/static/" + name + "?v=old"); old.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("an old version of %s may be cached: %q", name, old.Header.Get("Cache-Control"))
		}
	}
	b.get("/static/missing.js").wantStatus(t, "a missing file", http.StatusNotFound)
	if _, err := h.srv.static.url("missing.js"); err == nil {
		t.Error("the URL of a missing file")
	}
}

// TestPager renders each paged list with the pager partial: its label
// names what is listed, and each link shows only when there is a page to
// go to.
func TestPager(t *testing.T) {
	t.Parallel()
	pages := mustParsePages(mustLoadStatic())
	views := map[string]func(first, next string) *view{
		"forms":           func(f, n string) *view { return &view{Title: "Forms", Forms: &formsView{First: f, Next: n}} },
		"documents":       func(f, n string) *view { return &view{Title: "Documents", Docs: &documentsView{First: f, Next: n}} },
		"jobs":            func(f, n string) *view { return &view{Title: "Jobs", Jobs: &jobsView{First: f, Next: n}} },
		"deliveries_dead": func(f, n string) *view { return &view{Title: "Dead", Handlers: &handlersView{First: f, Next: n}} },
	}
	labels := map[string]string{"forms": "forms", "documents": "documents", "jobs": "jobs", "deliveries_dead": "dead deliveries"}
	for name, build := range views {
		for _, c := range []struct{ first, next, want string }{
			{"", "", "\n  \n  \n"},
			{"/l?a=1&b=2", "", "\n  <a href=\"/l?a=1&amp;b=2\">First page</a>\n  \n"},
			{"/l", "/l?after=9", "\n  <a href=\"/l\">First page</a>\n  <a href=\"/l?after=9\" rel=\"next\">Next page</a>\n"},
		} {
			var out strings.Builder
			if err := pages[name].ExecuteTemplate(&out, "layout", build(c.first, c.next)); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			want := `<nav class="pager" aria-label="Pages of ` + labels[name] + `">` + c.want + "</nav>\n"
			if !strings.Contains(out.String(), want) {
				t.Errorf("%s with first %q, next %q: no pager %q in\n%s", name, c.first, c.next, want, out.String())
			}
		}
	}
}
