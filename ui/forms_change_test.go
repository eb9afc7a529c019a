package ui

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// TestFormEdit: the editor holds the latest version's template; saving
// it makes version 2 (audited), the form's page lists both versions and
// version 1 stays readable; a save from an editor opened before another
// version was saved is refused (409) and stores nothing.
func TestFormEdit(t *testing.T) {
	t.Parallel()
	st := newStudio(t)
	id := st.create(t, oneField)
	b := st.as(t, "dee@example.org")
	p := b.get("/forms/" + id + "/edit")
	p.wantStatus(t, "the editor", http.StatusOK)
	if !strings.Contains(p.body, "&#34;patient_no&#34;") || !strings.Contains(p.body, `name="base" value="1"`) || !strings.Contains(p.body, "Save as version 2") {
		t.Fatalf("the editor lacks the template or its version:\n%s", p.body)
	}
	text := strings.Replace(oneField, "Wound check", "Wound check (2026)", 1)
	save := func(base int) *page {
		return b.do("POST", "/forms/"+id, url.Values{"csrf": {p.csrf(t)}, "base": {strconv.Itoa(base)}, "template": {text}})
	}
	save(1).wantRedirect(t, "save", "/forms/"+id+"?done=saved")
	form, err := st.forms.FindForm(context.Background(), st.org.ID, id)
	if err != nil || form.Version != 2 || form.Name != "Wound check (2026)" {
		t.Fatalf("after saving: %+v, %v", form, err)
	}
	if ev := st.events(st.org.ID, inkform.AuditFormUpdate); len(ev) != 1 || ev[0].Detail != "version 2" || ev[0].Object.ID != id {
		t.Errorf("audit events %+v", ev)
	}
	stale := save(1)
	stale.wantStatus(t, "a save from version 1 after version 2", http.StatusConflict)
	if !strings.Contains(stale.body, "Version 2 of this form was saved after you opened the editor") || !strings.Contains(stale.body, `name="base" value="2"`) {
		t.Errorf("the stale save's page:\n%s", stale.body)
	}
	if f, _ := st.forms.FindForm(context.Background(), st.org.ID, id); f.Version != 2 {
		t.Errorf("a stale save stored version %d", f.Version)
	}
	show := b.get("/forms/" + id)
	for _, want := range []string{`href="/forms/` + id + `/versions/1">Version 1</a>`, `aria-current="page">Version 2</a>`, "Wound check (2026)"} {
		if !strings.Contains(show.body, want) {
			t.Errorf("the form's page lacks %q", want)
		}
	}
	old := b.get("/forms/" + id + "/versions/1")
	old.wantStatus(t, "version 1", http.StatusOK)
	if !strings.Contains(old.body, "the form is at version 2") || strings.Contains(old.body, "Wound check (2026)") {
		t.Errorf("version 1's page:\n%s", old.body)
	}
	// Each version's template downloads as the JSON it was saved from.
	dl := b.get("/forms/" + id + "/versions/1/template.json")
	dl.wantStatus(t, "version 1's template", http.StatusOK)
	if tpl, err := inkform.DecodeTemplate([]byte(dl.body), false); err != nil || tpl.Name != "Wound check" ||
		dl.Header.Get("Content-Type") != "application/json" || !strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment;") {
		t.Errorf("version 1's template: %v, %q:\n%s", err, dl.Header.Get("Content-Disposition"), dl.body)
	}
	b.get("/forms/"+st.otherForm+"/versions/1/template.json").wantStatus(t, "another org's template", http.StatusNotFound)
	// Version 1 can be brought back as version 3.
	from := b.get("/forms/" + id + "/edit?from=1")
	if !strings.Contains(from.body, "&#34;Wound check&#34;") || !strings.Contains(from.body, `name="base" value="2"`) || !strings.Contains(from.body, "Save as version 3") {
		t.Errorf("the editor from version 1:\n%s", from.body)
	}
	if as := st.as(t, "dee@example.org").get("/forms/" + id + "/versions/1"); !strings.Contains(as.body, `href="/forms/`+id+`/edit?from=1"`) {
		t.Error("version 1's page offers no editing from it")
	}
	for _, path := range []string{"/forms/" + id + "/versions/3", "/forms/" + id + "/versions/0", "/forms/" + id + "/versions/x", "/forms/" + st.otherForm + "/edit"} {
		b.get(path).wantStatus(t, path, http.StatusNotFound)
	}
	b.do("POST", "/forms/"+st.otherForm, url.Values{"csrf": {p.csrf(t)}, "base": {"1"}, "template": {text}}).
		wantStatus(t, "saving another org's form", http.StatusNotFound)
	ann := st.as(t, "ann@example.org")
	ann.do("POST", "/forms/"+id, url.Values{"csrf": {ann.token()}, "base": {"2"}, "template": {text}}).
		wantStatus(t, "a verifier's save", http.StatusForbidden)
	if strings.Contains(ann.get("/forms/"+id).body, "/edit") {
		t.Error("a verifier is offered the editor")
	}
}

// TestFormBackground: an upload is checked as the API checks it — too
// large (413), not a PDF or not the form's page size (422), no file
// (422) — and stores nothing then; a PDF of the right size is stored for
// the latest version and audited; an upload without the CSRF token is
// refused (403), and a verifier may not upload (403).
func TestFormBackground(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, email string
		data        []byte
		noFile      bool
		noCSRF      bool
		status      int
		want        string
	}{
		{name: "ok", email: "dee@example.org", data: markedPDF(210, 297, backgroundMark), status: http.StatusSeeOther},
		{name: "too large", email: "dee@example.org", data: make([]byte, inkform.MaxBackgroundBytes+1), status: http.StatusRequestEntityTooLarge, want: "a background has at most 20971520"},
		{name: "far too large", email: "dee@example.org", data: make([]byte, 2*inkform.MaxBackgroundBytes), status: http.StatusRequestEntityTooLarge, want: "larger than this page takes"},
		{name: "not a PDF", email: "dee@example.org", data: []byte("GIF89a not a pdf"), status: 422, want: "The file is not a background for this form"},
		{name: "wrong size", email: "dee@example.org", data: markedPDF(148, 210, backgroundMark), status: 422, want: "The file is not a background for this form"},
		{name: "no file", email: "dee@example.org", noFile: true, status: 422, want: "Choose a PDF file to upload."},
		{name: "no CSRF token", email: "dee@example.org", noCSRF: true, data: markedPDF(210, 297, backgroundMark), status: http.StatusForbidden},
		{name: "verifier", email: "ann@example.org", data: markedPDF(210, 297, backgroundMark), status: http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st := newStudio(t)
			id := st.create(t, oneField)
			b := st.as(t, tc.email)
			fields := url.Values{"csrf": {b.token()}}
			if tc.noCSRF {
				fields = url.Values{}
			}
			file := "background"
			if tc.noFile {
				file = ""
			}
			p := b.upload("/forms/"+id+"/background", fields, file, tc.data)
			p.wantStatus(t, "upload", tc.status)
			if tc.want != "" && !strings.Contains(p.body, tc.want) {
				t.Errorf("the page lacks %q:\n%s", tc.want, p.body)
			}
			_, err := st.blobs.Stat(context.Background(), inkform.FormBackgroundKey(st.org.ID, id, 1))
			events := st.events(st.org.ID, inkform.AuditFormUpdate)
			if tc.status != http.StatusSeeOther {
				if inkform.ErrorCode(err) != inkform.ENOTFOUND || len(events) != 0 {
					t.Errorf("a refused upload stored a background (%v) or %d events", err, len(events))
				}
				return
			}
			if err != nil {
				t.Fatalf("no background stored: %v", err)
			}
			if len(events) != 1 || !strings.HasPrefix(events[0].Detail, "version 1: background uploaded") {
				t.Errorf("audit events %+v", events)
			}
			show := b.get("/forms/" + id + "?done=background")
			link := regexp.MustCompile(`href="(/forms/[^"]+/versions/1/background\.pdf\?v=[0-9a-f]+)"`).FindStringSubmatch(show.body)
			if !strings.Contains(show.body, "Version 1 has an uploaded background") || link == nil {
				t.Fatalf("the form's page does not show the background or its link:\n%s", show.body)
			}
			// Everyone who reads forms may open it; the path names the
			// org's form only.
			pdf := st.as(t, "ann@example.org").get(link[1])
			pdf.wantStatus(t, "the background for a verifier", http.StatusOK)
			if pdf.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.body, "%PDF-") {
				t.Errorf("the background is %q, %.8q", pdf.Header.Get("Content-Type"), pdf.body)
			}
			b.get("/forms/"+st.otherForm+"/versions/1/background.pdf").wantStatus(t, "another org's background", http.StatusNotFound)
		})
	}
}

// TestFormPrint: a copied-pattern form prints 1 to the form's limit of
// copies as a PDF download, for verifiers too, and a count outside the
// limit is said beside the print form (422); a unique-pattern form's
// copies are allocated (audited, numbered in the headers) for a designer
// and refused to a verifier (403) with nothing allocated. The preview is
// the blank form.
func TestFormPrint(t *testing.T) {
	t.Parallel()
	st := newStudio(t)
	copied := st.create(t, oneField)
	unique := st.create(t, strings.Replace(oneField, `"name": "Wound check",`, `"name": "Rounds", "pattern": "unique",`, 1))
	for _, tc := range []struct {
		name, email, form, copies string
		status                    int
		want                      string
	}{
		{"one", "dee@example.org", copied, "1", 200, ""},
		{"many, by a verifier", "ann@example.org", copied, "12", 200, ""},
		{"zero", "dee@example.org", copied, "0", 422, "a whole number from 1 to 1000"},
		{"too many", "dee@example.org", copied, "1001", 422, "a whole number from 1 to 1000"},
		{"not a number", "dee@example.org", copied, "ten", 422, "a whole number from 1 to 1000"},
		{"unique, verifier", "ann@example.org", unique, "2", 403, "allocates copies"},
		{"unique, designer", "dee@example.org", unique, "3", 200, ""},
		{"another org's form", "dee@example.org", st.otherForm, "1", 404, ""},
	} {
		b := st.as(t, tc.email)
		p := b.do("POST", "/forms/"+tc.form+"/print", url.Values{"csrf": {b.token()}, "copies": {tc.copies}})
		p.wantStatus(t, tc.name, tc.status)
		if tc.want != "" && !strings.Contains(p.body, tc.want) {
			t.Errorf("%s: the page lacks %q:\n%s", tc.name, tc.want, p.body)
		}
		if tc.status == 422 && (!strings.Contains(p.body, `id="print-error"`) || !strings.Contains(p.body, `value="`+tc.copies+`"`)) {
			t.Errorf("%s: the problem is not beside the print form with the count typed", tc.name)
		}
		if tc.status == 200 && (p.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(p.body, "%PDF-") ||
			!strings.HasPrefix(p.Header.Get("Content-Disposition"), "attachment;")) {
			t.Errorf("%s: %q, %q, %.8q", tc.name, p.Header.Get("Content-Type"), p.Header.Get("Content-Disposition"), p.body)
		}
	}
	events := st.events(st.org.ID, inkform.AuditFormUpdate)
	if len(events) != 1 || events[0].Object.ID != unique || events[0].Detail != "version 1: copies 1 to 3 allocated and printed" {
		t.Errorf("audit events %+v", events)
	}
	copies, err := st.forms.CreateCopies(context.Background(), st.org.ID, unique, 1)
	if err != nil || copies[0].Number != 4 {
		t.Errorf("the next copy is %+v (%v), want number 4: the verifier's refused print allocated", copies, err)
	}
	b := st.as(t, "ann@example.org")
	pv := b.get("/forms/" + copied + "/preview.pdf")
	pv.wantStatus(t, "preview", http.StatusOK)
	if pv.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pv.Header.Get("Content-Disposition"), "inline;") {
		t.Errorf("preview: %q, %q", pv.Header.Get("Content-Type"), pv.Header.Get("Content-Disposition"))
	}
	b.get("/forms/"+copied+"/versions/1/preview.pdf").wantStatus(t, "version 1's preview", http.StatusOK)
	b.get("/forms/"+st.otherForm+"/preview.pdf").wantStatus(t, "another org's preview", http.StatusNotFound)
	if up := b.get("/forms/" + unique).body; strings.Contains(up, `action="/forms/`+unique+`/print"`) || !strings.Contains(up, "Printing this form allocates copies") {
		t.Error("a verifier is offered printing a unique-pattern form, or not told why not")
	}
}
