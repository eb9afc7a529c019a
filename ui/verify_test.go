package ui

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// TestVerifyQueues: the queues page lists what waits per form; Start
// leases the oldest free document, two verifiers get different ones, and
// when nothing is left the page says so.
func TestVerifyQueues(t *testing.T) {
	t.Parallel()
	empty := newClinic(t, 0)
	if p := empty.signedIn(t, "ann@example.org").get("/verify"); !strings.Contains(p.body, "Nothing waits for verification") {
		t.Fatalf("an empty queue:\n%s", p.body)
	}

	c := newClinic(t, 2)
	ann, bob := c.signedIn(t, "ann@example.org"), c.signedIn(t, "bob@example.org")
	p := ann.get("/verify")
	p.wantStatus(t, "GET /verify", http.StatusOK)
	for _, want := range []string{"Patient intake", "<td>2</td>", "2 hours", `action="/verify/forms/01form0intake/start"`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the queues page lacks %q:\n%s", want, p.body)
		}
	}
	start := "/verify/forms/01form0intake/start"
	ann.do("POST", start, url.Values{"csrf": {p.csrf(t)}}).wantRedirect(t, "ann starts", "/verify/documents/"+c.docs[0])
	// Starting again gives Ann the document she holds, not a second one.
	ann.do("POST", start, url.Values{"csrf": {p.csrf(t)}}).wantRedirect(t, "ann starts again", "/verify/documents/"+c.docs[0])
	bobToken := bob.token()
	bob.do("POST", start, url.Values{"csrf": {bobToken}}).wantRedirect(t, "bob starts", "/verify/documents/"+c.docs[1])
	c.users.CreateUser(context.Background(), &inkform.User{OrgID: c.org.ID, Email: "cy@example.org", Role: inkform.RoleVerifier, PasswordHash: c.ann.PasswordHash})
	cy := c.signedIn(t, "cy@example.org")
	cy.do("POST", start, url.Values{"csrf": {cy.token()}}).wantRedirect(t, "cy starts", "/verify?done=01form0intake")
	if p := cy.get("/verify?done=01form0intake"); !strings.Contains(p.body, "Nothing more waits for you") {
		t.Errorf("no notice that nothing is left:\n%s", p.body)
	}
	bob.do("POST", start, nil).wantStatus(t, "start without a token", http.StatusForbidden)
}

// TestVerifyDocumentPage: the station shows the page with the ink and
// the current field, and each field's cutout, reading, confidence (as
// colour and words), alternatives and problems; another verifier's
// document is refused, another org's is not found.
func TestVerifyDocumentPage(t *testing.T) {
	t.Parallel()
	c := newClinic(t, 2)
	ann := c.signedIn(t, "ann@example.org")
	p := ann.get("/verify/documents/" + c.docs[0])
	p.wantStatus(t, "the station", http.StatusOK)
	for _, want := range []string{
		`viewBox="0 0 210.0 297.0"`,                   // the page, in millimetres
		`<path d="M22.0 62.0 26.0 67.5 30.0 73.0"/>`,  // its ink
		`class="box current" data-field="patient_no"`, // the cursor starts on the doubtful field
		`data-current="patient_no"`,
		`src="/verify/documents/` + c.docs[0] + `/fields/patient_no/cutout.png"`,
		`confidence 61 %, doubtful`, `level-low`,
		`data-alt="123456"><kbd>1</kbd>`, `data-alt="128458"><kbd>2</kbd>`, `data-alt="123458"><kbd>3</kbd>`,
		`name="v.patient_no" value="128456"`,
		`href="/verify/documents/` + c.docs[1] + `" rel="next"`, // the next waiting document
		"History",
		`src="/static/verify.js?v=`,
	} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the station lacks %q", want)
		}
	}
	if strings.Contains(p.body, "723456") {
		t.Error("a fourth alternative is offered")
	}
	img := ann.get("/verify/documents/" + c.docs[0] + "/fields/patient_no/cutout.png")
	img.wantStatus(t, "the cutout", http.StatusOK)
	if img.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(img.body, "\x89PNG") {
		t.Errorf("the cutout: %q, %d bytes", img.Header.Get("Content-Type"), len(img.body))
	}
	ann.do("GET", "/verify/documents/"+c.docs[0]+"/fields/patient_no/cutout.png", nil, "If-None-Match", img.Header.Get("ETag")).
		wantStatus(t, "the cutout again", http.StatusNotModified)
	var reads []string
	for _, e := range c.events(c.org.ID, inkform.AuditDocumentRead) {
		reads = append(reads, e.Actor+" "+e.Object.ID+" "+e.Detail)
	}
	if want := []string{"user " + c.ann.ID + " " + c.docs[0] + " station", "user " + c.ann.ID + " " + c.docs[0] + " cutout patient_no.png"}; !slices.Equal(slices.Sorted(slices.Values(reads)), slices.Sorted(slices.Values(want))) {
		t.Errorf("audited reads %q, want %q", reads, want)
	}

	// Bob may not open the document Ann holds.
	bob := c.signedIn(t, "bob@example.org")
	taken := bob.get("/verify/documents/" + c.docs[0])
	taken.wantStatus(t, "a document someone holds", http.StatusConflict)
	if !strings.Contains(taken.body, "Another person is verifying this document") || strings.Contains(taken.body, "ann@example.org") {
		t.Errorf("the taken page:\n%s", taken.body)
	}

	// Another org's verifier finds neither the document nor its cutout.
	other := c.org2(t)
	other.get("/verify/documents/"+c.docs[1]).wantStatus(t, "another org's document", http.StatusNotFound)
	other.get("/verify/documents/"+c.docs[1]+"/fields/patient_no/cutout.png").wantStatus(t, "another org's cutout", http.StatusNotFound)

	// A designer may not verify.
	c.user(c.org, "dee@example.org", inkform.RoleDesigner, password)
	c.signedIn(t, "dee@example.org").get("/verify/documents/"+c.docs[1]).wantStatus(t, "a designer", http.StatusForbidden)
}

// org2 returns a signed-in verifier of another org.
func (c *clinic) org2(t *testing.T) *browser {
	c.user(c.harness.org("Hillside Practice"), "hal@example.org", inkform.RoleVerifier, password)
	return c.signedIn(t, "hal@example.org")
}

// TestVerifyApproveForm: without the script the station's form saves
// and approves. A value that breaks a rule comes back (422) with the
// problem on its field and what was typed; a good one is stored as the
// verifier's, the document validated and the next one opened.
func TestVerifyApproveForm(t *testing.T) {
	t.Parallel()
	c := newClinic(t, 2)
	ann := c.signedIn(t, "ann@example.org")
	id := c.docs[0]
	p := ann.get("/verify/documents/" + id)
	form := url.Values{"csrf": {p.csrf(t)}, "v.name": {"Ada Lovelace"}, "v.patient_no": {"12x456"},
		"v.smoker": {"false", "true"}, "v.visit": {"first"}}
	bad := ann.do("POST", "/verify/documents/"+id+"/approve", form)
	bad.wantStatus(t, "a bad value", http.StatusUnprocessableEntity)
	for _, want := range []string{`12x456&#34; is not a number`, `value="12x456"`, `data-current="patient_no"`, `role="alert"`} {
		if !strings.Contains(bad.body, want) {
			t.Errorf("the refused page lacks %q", want)
		}
	}
	if d, _ := c.harness.docs.FindDocument(context.Background(), c.org.ID, id); d.Status != inkform.StatusNeedsVerification || d.Fields["patient_no"].Value != "128456" {
		t.Fatalf("a refused save changed the document: %+v", d)
	}
	form.Set("v.patient_no", "123456")
	ann.do("POST", "/verify/documents/"+id+"/approve", form).wantRedirect(t, "approve", "/verify/documents/"+c.docs[1])
	d, _ := c.harness.docs.FindDocument(context.Background(), c.org.ID, id)
	if d.Status != inkform.StatusValidated || d.Fields["patient_no"].Value != "123456" || d.Fields["smoker"].Value != true {
		t.Fatalf("after approval: %s %+v", d.Status, d.Fields)
	}
	if d.Fields["name"].Source != inkform.SourceICR {
		t.Errorf("a value left as read was rewritten: %+v", d.Fields["name"])
	}
	if ev := c.events(c.org.ID, inkform.AuditDocumentUpdate); len(ev) != 1 || ev[0].Detail != "set patient_no, smoker" {
		t.Errorf("audited updates %+v", ev)
	}
	if ev := c.events(c.org.ID, inkform.AuditDocumentApprove); len(ev) != 1 || ev[0].Object.ID != id || ev[0].Actor != "user "+c.ann.ID {
		t.Errorf("audited approvals %+v", ev)
	}
	changes, _ := c.entries.ListFieldChanges(context.Background(), c.org.ID, id)
	if len(changes) != 2 {
		t.Errorf("changes %+v, want patient_no and smoker", changes)
	}
	hist := ann.get("/verify/documents/" + id)
	for _, want := range []string{"ann@example.org", "<td>patient_no</td><td>128456</td><td>123456</td>", "is validated: there is nothing to verify"} {
		if !strings.Contains(hist.body, want) {
			t.Errorf("the approved document's page lacks %q", want)
		}
	}
}

// TestVerifyApproveJSON: the script's endpoints take the token in a
// header (a JSON post without it is refused), answer 422 with problems
// named as the API names them, and the next document on success.
func TestVerifyApproveJSON(t *testing.T) {
	t.Parallel()
	c := newClinic(t, 1)
	ann, id, token := c.open(t, "ann@example.org", 0)
	path := "/verify/documents/" + id + "/approve"
	if status, _ := ann.postJSON(path, "", approveRequest{Values: url.Values{"v.patient_no": {"123456"}}}); status != http.StatusForbidden {
		t.Errorf("without the token: %d", status)
	}
	if status, _ := ann.postJSON(path, "forged", approveRequest{Values: url.Values{"v.patient_no": {"123456"}}}); status != http.StatusForbidden {
		t.Errorf("with a forged token: %d", status)
	}
	status, a := ann.postJSON(path, token, approveRequest{Values: url.Values{"v.patient_no": {"1234567"}}})
	if status != http.StatusUnprocessableEntity || len(a.Problems) == 0 || a.Problems[0].Path != "fields.patient_no" {
		t.Fatalf("a bad value: %d %+v", status, a)
	}
	status, a = ann.postJSON(path, token, approveRequest{Values: url.Values{"v.patient_no": {"123456"}}})
	if status != http.StatusOK || a.Next != "/verify?done=01form0intake" {
		t.Fatalf("approve: %d %+v", status, a)
	}
	if d, _ := c.harness.docs.FindDocument(context.Background(), c.org.ID, id); d.Status != inkform.StatusValidated {
		t.Errorf("status %s after approval", d.Status)
	}
}

// TestVerifyLease: the open page renews its lease; a lease that ran out
// and was taken cannot be renewed, nor saved on; leaving releases it.
func TestVerifyLease(t *testing.T) {
	t.Parallel()
	c := newClinic(t, 1)
	ann, bob := c.signedIn(t, "ann@example.org"), c.signedIn(t, "bob@example.org")
	id := c.docs[0]
	annToken := ann.get("/verify/documents/" + id).csrf(t)
	for range 3 {
		c.clock.advance(inkform.DefaultLeaseTTL - time.Second)
		if status, a := ann.postJSON("/verify/documents/"+id+"/lease", annToken, struct{}{}); status != http.StatusNoContent {
			t.Fatalf("renew: %d %+v", status, a)
		}
	}
	bob.get("/verify/documents/"+id).wantStatus(t, "bob while ann renews", http.StatusConflict)
	// Leaving the page releases the document at once (sendBeacon posts
	// the token in a form body).
	ann.do("POST", "/verify/documents/"+id+"/release", url.Values{"csrf": {annToken}}).wantStatus(t, "release", http.StatusNoContent)
	bobToken := bob.get("/verify/documents/" + id).csrf(t)
	if status, _ := ann.postJSON("/verify/documents/"+id+"/lease", annToken, struct{}{}); status != http.StatusConflict {
		t.Errorf("renewing a lease bob took: %d", status)
	}
	status, a := ann.postJSON("/verify/documents/"+id+"/approve", annToken, approveRequest{Values: url.Values{"v.patient_no": {"123456"}}})
	if status != http.StatusConflict || !strings.Contains(a.Message, "Another person") {
		t.Errorf("saving on bob's document: %d %+v", status, a)
	}
	if status, _ := bob.postJSON("/verify/documents/"+id+"/lease", bobToken, struct{}{}); status != http.StatusNoContent {
		t.Errorf("bob's renewal: %d", status)
	}
}

// TestVerifyFlag: a flag needs a reason; with one the document is set
// aside (it keeps waiting, for someone else) and the next one opened,
// not the flagged one again.
func TestVerifyFlag(t *testing.T) {
	t.Parallel()
	c := newClinic(t, 2)
	ann, id, token := c.open(t, "ann@example.org", 0)
	if status, a := ann.postJSON("/verify/documents/"+id+"/flag", token, flagRequest{Reason: "  "}); status != http.StatusUnprocessableEntity || len(a.Problems) != 1 {
		t.Errorf("a flag without a reason: %d %+v", status, a)
	}
	status, a := ann.postJSON("/verify/documents/"+id+"/flag", token, flagRequest{Reason: "The wrong form was used."})
	if status != http.StatusOK || a.Next != "/verify/documents/"+c.docs[1] {
		t.Fatalf("flag: %d %+v", status, a)
	}
	hist, _ := c.harness.docs.ListStatusChanges(context.Background(), c.org.ID, id)
	if last := hist[len(hist)-1]; !strings.Contains(last.Cause, "The wrong form was used.") || last.To != inkform.StatusNeedsVerification {
		t.Errorf("the flag in the history: %+v", hist)
	}
}

// TestVerifyDoubleEntry walks a blind double entry through the station
// on the real workflow: the first and second person see no value read and
// an empty input; their entries are saved without approving the document
// and the next one opens; when they differ, a third person sees both,
// decides, and approves.
func TestVerifyDoubleEntry(t *testing.T) {
	t.Parallel()
	c := newClinic(t, 1)
	f := intake(c.org.ID)
	f.Field("patient_no").DoubleEntry = true
	c.forms.Put(f)
	id := c.docs[0]
	c.user(c.org, "cy@example.org", inkform.RoleVerifier, password)
	enter := func(email, value string) *page {
		b := c.signedIn(t, email)
		p := b.get("/verify/documents/" + id)
		p.wantStatus(t, email+" opens the document", http.StatusOK)
		return b.do("POST", "/verify/documents/"+id+"/approve", url.Values{"csrf": {p.csrf(t)}, "v.patient_no": {value}})
	}
	ann := c.signedIn(t, "ann@example.org")
	p := ann.get("/verify/documents/" + id)
	if !strings.Contains(p.body, "blind entry") || !strings.Contains(p.body, `name="v.patient_no" value=""`) ||
		strings.Contains(p.body, "128456") || strings.Contains(p.body, "123456") {
		t.Errorf("the blind field shows what it must not:\n%s", p.body)
	}
	enter("ann@example.org", "123456").wantRedirect(t, "ann's entry", "/verify?done=01form0intake")
	enter("bob@example.org", "123465").wantRedirect(t, "bob's entry", "/verify?done=01form0intake")
	if d, _ := c.harness.docs.FindDocument(context.Background(), c.org.ID, id); d.Status != inkform.StatusNeedsVerification {
		t.Fatalf("after two differing entries the document is %s", d.Status)
	}
	cy := c.signedIn(t, "cy@example.org")
	p = cy.get("/verify/documents/" + id)
	if !strings.Contains(p.body, "the two entries differ") || !strings.Contains(p.body, `data-alt="123456"`) || !strings.Contains(p.body, `data-alt="123465"`) {
		t.Errorf("the third person does not see both entries:\n%s", p.body)
	}
	cy.do("POST", "/verify/documents/"+id+"/approve", url.Values{"csrf": {p.csrf(t)}, "v.patient_no": {"123456"}}).
		wantRedirect(t, "cy decides", "/verify?done=01form0intake")
	d, _ := c.harness.docs.FindDocument(context.Background(), c.org.ID, id)
	if d.Status != inkform.StatusValidated || d.Fields["patient_no"].Value != "123456" {
		t.Errorf("after the decision: %s %+v", d.Status, d.Fields["patient_no"])
	}
}
