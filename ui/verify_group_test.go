package ui

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// TestVerifyGroup: the queues page offers a group of each typed field;
// the group screen leases the waiting documents and shows each one's
// cutout, value read and confidence in an input; a value that breaks a
// rule refuses the screen with the problem on its cell; confirming
// approves the documents with the corrections and says so.
func TestVerifyGroup(t *testing.T) {
	t.Parallel()
	c := newClinic(t, 3)
	ann := c.signedIn(t, "ann@example.org")
	q := ann.get("/verify")
	for _, want := range []string{`action="/verify/forms/01form0intake/group"`, `<option value="patient_no">Patient number</option>`, `<option value="name">Name</option>`} {
		if !strings.Contains(q.body, want) {
			t.Errorf("the queues page lacks %q", want)
		}
	}
	if strings.Contains(q.body, `<option value="signature">`) || strings.Contains(q.body, `<option value="smoker">`) {
		t.Error("the queues page offers a signature or checkbox in a group")
	}
	path := "/verify/forms/01form0intake/group"
	p := ann.get(path + "?field=patient_no")
	p.wantStatus(t, "the group screen", http.StatusOK)
	for _, id := range c.docs {
		for _, want := range []string{`name="doc" value="` + id + `"`, `name="d.` + id + `" value="128456"`,
			`src="/verify/documents/` + id + `/fields/patient_no/cutout.png"`} {
			if !strings.Contains(p.body, want) {
				t.Errorf("the group screen lacks %q", want)
			}
		}
	}
	for _, want := range []string{"confidence 61 %, doubtful", "level-low", `data-current="` + c.docs[0] + `"`, `src="/static/group.js?v=`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the group screen lacks %q", want)
		}
	}
	// The documents are Ann's while the screen is open.
	c.signedIn(t, "bob@example.org").get("/verify/documents/"+c.docs[1]).wantStatus(t, "bob opens one of ann's", http.StatusConflict)

	token := p.csrf(t)
	form := func(values ...string) url.Values {
		f := url.Values{"csrf": {token}, "field": {"patient_no"}, "doc": c.docs}
		for i, v := range values {
			f.Set("d."+c.docs[i], v)
		}
		return f
	}
	bad := ann.do("POST", path, form("123456", "1234567", "128456"))
	bad.wantStatus(t, "a value too long", http.StatusUnprocessableEntity)
	if !strings.Contains(bad.body, `id="problems-`+c.docs[1]+`"><li>`) || !strings.Contains(bad.body, `name="d.`+c.docs[1]+`" value="1234567"`) ||
		!strings.Contains(bad.body, `data-current="`+c.docs[1]+`"`) {
		t.Errorf("the refused screen does not show the problem on its cell:\n%s", bad.body)
	}
	for _, id := range c.docs {
		if d, _ := c.harness.docs.FindDocument(context.Background(), c.org.ID, id); d.Status != inkform.StatusNeedsVerification {
			t.Fatalf("a refused screen changed %s: %s", id, d.Status)
		}
	}
	ann.do("POST", path, url.Values{"field": {"patient_no"}, "doc": c.docs}).wantStatus(t, "no CSRF token", http.StatusForbidden)

	ann.do("POST", path, form("123456", "", "128456")).wantRedirect(t, "confirm", path+"?field=patient_no&approved=2&of=3")
	want := map[string]string{c.docs[0]: "123456", c.docs[2]: "128456"}
	for id, v := range want {
		d, _ := c.harness.docs.FindDocument(context.Background(), c.org.ID, id)
		if d.Status != inkform.StatusValidated || d.Fields["patient_no"].Value != v || d.Fields["patient_no"].Source != inkform.SourceVerifier {
			t.Errorf("%s after confirming: %s %+v", id, d.Status, d.Fields["patient_no"])
		}
	}
	// An emptied required number breaks its rule and keeps its document.
	if d, _ := c.harness.docs.FindDocument(context.Background(), c.org.ID, c.docs[1]); d.Status != inkform.StatusNeedsVerification {
		t.Errorf("the emptied document is %s", d.Status)
	}
	next := ann.get(path + "?field=patient_no&approved=2&of=3")
	if !strings.Contains(next.body, "Confirmed 3 documents: 2 approved, 1 kept waiting") || !strings.Contains(next.body, "1 documents of the form still wait") {
		t.Errorf("the next screen does not report the confirmation:\n%s", next.body)
	}
	if n := len(c.events(c.org.ID, inkform.AuditDocumentApprove)); n != 2 {
		t.Errorf("%d approvals audited, want 2", n)
	}
}

// TestVerifyGroupRefused: another org's form is not found, a designer
// may not verify, and a double-entry field is neither offered nor shown
// nor confirmed in a group.
func TestVerifyGroupRefused(t *testing.T) {
	t.Parallel()
	c := newClinic(t, 2)
	f := intake(c.org.ID)
	f.Field("patient_no").DoubleEntry = true
	c.forms.Put(f)
	path := "/verify/forms/01form0intake/group"
	c.org2(t).get(path+"?field=name").wantStatus(t, "another org's form", http.StatusNotFound)
	c.user(c.org, "dee@example.org", inkform.RoleDesigner, password)
	c.signedIn(t, "dee@example.org").get(path+"?field=name").wantStatus(t, "a designer", http.StatusForbidden)

	ann := c.signedIn(t, "ann@example.org")
	q := ann.get("/verify")
	if strings.Contains(q.body, `<option value="patient_no">`) || !strings.Contains(q.body, "Typed twice, blind, so one document at a time: Patient number.") {
		t.Errorf("the queues page offers the double-entry field in a group:\n%s", q.body)
	}
	p := ann.get(path + "?field=patient_no")
	p.wantStatus(t, "a double-entry field", http.StatusUnprocessableEntity)
	if !strings.Contains(p.body, "typed twice, blind") || strings.Contains(p.body, "128456") {
		t.Errorf("the refusal:\n%s", p.body)
	}
	ann.get(path+"?field=nothing").wantStatus(t, "no such field", http.StatusNotFound)
	ann.do("POST", path, url.Values{"csrf": {q.csrf(t)}, "field": {"patient_no"}, "doc": c.docs, "d." + c.docs[0]: {"123456"}}).
		wantStatus(t, "confirming a double-entry field", http.StatusUnprocessableEntity)
	if d, _ := c.harness.docs.FindDocument(context.Background(), c.org.ID, c.docs[0]); d.Fields["patient_no"].Value != "128456" {
		t.Errorf("a double-entry field was set in a group: %+v", d.Fields["patient_no"])
	}
}
