package ui

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/pdf"
)

// studio is a harness with forms that can be created (the fake forms
// service allocates from the orgs' pools) and printed, an org with a
// designer, a verifier and a gateway, and another org with a form.
type studio struct {
	*harness
	org, other *inkform.Org
	otherForm  string
}

func newStudio(t *testing.T) *studio {
	t.Helper()
	h := newHarness(t, func(s *Server) { s.Printer = pdf.Printer{} })
	h.forms.Orgs = h.orgs
	st := &studio{harness: h, org: h.org("Riverside Clinic"), other: h.org("Hilltop Surgery")}
	h.user(st.org, "dee@example.org", inkform.RoleDesigner, password)
	h.user(st.org, "ann@example.org", inkform.RoleVerifier, password)
	h.user(st.org, "gus@example.org", inkform.RoleGateway, password)
	f, err := h.forms.CreateForm(context.Background(), st.other.ID, &inkform.FormTemplate{Name: "Hilltop intake",
		Pages: []inkform.PageSpec{{Size: inkform.Size{W: 210, H: 297}}}})
	if err != nil {
		t.Fatal(err)
	}
	st.otherForm = f.ID
	return st
}

// as returns a browser signed in as the user with the e-mail address.
func (st *studio) as(t *testing.T, email string) *browser {
	b := st.browser(t)
	b.mustSignIn(email, password)
	return b
}

// create stores a form of the org from the template text, failing the
// test unless that works, and returns its ID.
func (st *studio) create(t *testing.T, text string) string {
	t.Helper()
	tpl, err := inkform.DecodeTemplate([]byte(text), false)
	if err != nil {
		t.Fatal(err)
	}
	f, err := st.forms.CreateForm(context.Background(), st.org.ID, tpl)
	if err != nil {
		t.Fatal(err)
	}
	return f.ID
}

// upload posts a multipart form with the fields and a file as a browser
// does.
func (b *browser) upload(path string, fields url.Values, file string, data []byte) *page {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	if file != "" {
		fw, _ := mw.CreateFormFile(file, "background.pdf")
		_, _ = fw.Write(data)
	}
	_ = mw.Close()
	req, err := http.NewRequest("POST", b.h.ts.URL+path, &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ = io.ReadAll(resp.Body)
	return &page{Response: resp, body: string(data)}
}

// oneField is a valid template; its line 6 is the field's box.
const oneField = `{
  "name": "Wound check",
  "pages": [{"size": {"w": 210, "h": 297}}],
  "fields": [
    {"name": "patient_no", "type": "number", "page": 1,
     "box": {"x": 20, "y": 30, "w": 60, "h": 10}}
  ]
}`

var createdAt = regexp.MustCompile(`^/forms/([0-9a-f-]+)\?done=created$`)

// TestFormCreate: the editor stores a valid template as version 1 of a
// new form (303 to its page, audited) and shows what is wrong with
// anything else on the line it is on (422), storing nothing; a post
// without the CSRF token and a role without forms:write are refused.
func TestFormCreate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, email, text string
		lenient, noCSRF   bool
		before            bool // another form has the address 70.3.12.5
		status            int
		want              []string // on the page answered
	}{
		{name: "ok", email: "dee@example.org", text: oneField, status: http.StatusSeeOther},
		{name: "syntax error", email: "dee@example.org", status: 422,
			text: strings.Replace(oneField, `"page": 1,`, `"page": 1`, 1),
			want: []string{`data-line="6"`, "line 6, column 6</a>: invalid character", "Nothing was saved", `aria-invalid="true"`, `<span class="bad">6</span>`}},
		{name: "unknown key", email: "dee@example.org", status: 422,
			text: strings.Replace(oneField, `"page": 1,`, `"page": 1, "requred": true,`, 1),
			want: []string{"line 5, column 57</a>: fields[0].requred is not a template key", "  ^</pre>"}},
		{name: "unknown key, lenient", email: "dee@example.org", lenient: true, status: http.StatusSeeOther,
			text: strings.Replace(oneField, `"page": 1,`, `"page": 1, "requred": true,`, 1)},
		{name: "invalid template", email: "dee@example.org", status: 422,
			text: strings.Replace(oneField, `"w": 60`, `"w": -60`, 1),
			want: []string{"line 6, column", "fields[0].box", `<span class="bad">6</span>`}},
		{name: "wrong type", email: "dee@example.org", status: 422,
			text: strings.Replace(oneField, `"page": 1`, `"page": "one"`, 1),
			want: []string{"line 5, column", "fields[0].page must be an integer"}},
		{name: "address taken", email: "dee@example.org", status: http.StatusConflict, before: true,
			text: strings.Replace(oneField, `297}}]`, `297}, "address": "70.3.12.5"}]`, 1),
			want: []string{"line 3, column 44</a>: pages[0].address is taken: page address 70.3.12.5 is used by form"}},
		{name: "too large", email: "dee@example.org", status: http.StatusRequestEntityTooLarge,
			text: oneField + strings.Repeat(" ", maxTemplateText), want: []string{"the editor takes at most 2097152"}},
		{name: "empty", email: "dee@example.org", status: 422, text: " ", want: []string{"the template: the request body is empty"}},
		{name: "no CSRF token", email: "dee@example.org", noCSRF: true, text: oneField, status: http.StatusForbidden},
		{name: "verifier", email: "ann@example.org", text: oneField, status: http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st := newStudio(t)
			if tc.before {
				st.create(t, strings.Replace(oneField, `297}}]`, `297}, "address": "70.3.12.5"}]`, 1))
			}
			b := st.as(t, tc.email)
			form := url.Values{"csrf": {b.token()}, "template": {strings.ReplaceAll(tc.text, "\n", "\r\n")}}
			if tc.noCSRF {
				form.Del("csrf")
			}
			if tc.lenient {
				form.Set("lenient", "on")
			}
			p := b.do("POST", "/forms", form)
			p.wantStatus(t, "create", tc.status)
			for _, w := range tc.want {
				if !strings.Contains(p.body, w) {
					t.Errorf("the page lacks %q:\n%s", w, p.body)
				}
			}
			list, _ := st.forms.ListForms(context.Background(), st.org.ID, inkform.FormFilter{})
			events := st.events(st.org.ID, inkform.AuditFormCreate)
			if tc.status != http.StatusSeeOther {
				if stored := len(list) - boolInt(tc.before); stored != 0 || len(events) != 0 {
					t.Errorf("a refused template stored %d forms and %d events", len(list), len(events))
				}
				return
			}
			m := createdAt.FindStringSubmatch(p.Header.Get("Location"))
			if m == nil || len(list) != 1 || list[0].ID != m[1] || list[0].Name != "Wound check" {
				t.Fatalf("created to %q, forms %+v", p.Header.Get("Location"), list)
			}
			if len(events) != 1 || events[0].Object.ID != m[1] || events[0].Detail != "version 1" {
				t.Errorf("audit events %+v", events)
			}
			show := b.get("/forms/" + m[1] + "?done=created")
			show.wantStatus(t, "the new form's page", http.StatusOK)
			if !strings.Contains(show.body, "The form is created as version 1.") || !strings.Contains(show.body, "900.1.") {
				t.Errorf("the form's page lacks the notice or the allocated address:\n%s", show.body)
			}
		})
	}
}

// TestFormListAndRoles: the list shows the org's forms to every role that
// reads forms (the way to a new one only to those who may write), never
// another org's; a gateway is refused; another org's form is not found.
func TestFormListAndRoles(t *testing.T) {
	t.Parallel()
	st := newStudio(t)
	id := st.create(t, oneField)
	for _, tc := range []struct {
		email  string
		status int
		new    bool
	}{
		{"dee@example.org", 200, true},
		{"ann@example.org", 200, false},
		{"gus@example.org", 403, false},
	} {
		b := st.as(t, tc.email)
		p := b.get("/forms")
		p.wantStatus(t, tc.email+"'s list", tc.status)
		if tc.status != 200 {
			continue
		}
		if !strings.Contains(p.body, `href="/forms/`+id+`">Wound check</a>`) || strings.Contains(p.body, "Hilltop") {
			t.Errorf("%s's list:\n%s", tc.email, p.body)
		}
		if got := strings.Contains(p.body, `href="/forms/new"`); got != tc.new {
			t.Errorf("%s is offered a new form: %v", tc.email, got)
		}
		b.get("/forms/"+st.otherForm).wantStatus(t, "another org's form", http.StatusNotFound)
		b.get("/forms/"+id).wantStatus(t, "the form", http.StatusOK)
	}
	st.as(t, "ann@example.org").get("/forms/new").wantStatus(t, "a verifier's editor", http.StatusForbidden)
}

// boolInt is 1 for true.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
