package ui

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
)

// visitForm is the tablet tests' form: two pages, a comb of digits and a
// date on the first, a box, a choice and a required signature on the
// second.
func visitForm(orgID string) *inkform.Form {
	return &inkform.Form{ID: "01form0visit", OrgID: orgID, Version: 1, FormTemplate: inkform.FormTemplate{
		Name: "Home visit", Pattern: inkform.PatternCopied, ConfidenceThreshold: 0.9,
		Pages: []inkform.PageSpec{{Size: inkform.Size{W: 210, H: 297}, Address: "1.2.3.4"}, {Size: inkform.Size{W: 210, H: 297}, Address: "1.2.3.5"}},
		Fields: []inkform.Field{
			{Name: "patient_no", Label: "Patient no.", Type: inkform.FieldNumber, Page: 1, Comb: 6, Charset: inkform.CharsetDigits, Required: true,
				Box: &inkform.Box{X: 20, Y: 30, W: 60, H: 10}},
			{Name: "visit_date", Label: "Date", Type: inkform.FieldDate, Page: 1, Comb: 6, Format: "DDMMYY", Required: true,
				Box: &inkform.Box{X: 100, Y: 30, W: 60, H: 10}},
			{Name: "dressing_changed", Label: "Dressing changed", Type: inkform.FieldCheckbox, Page: 2, Box: &inkform.Box{X: 20, Y: 50, W: 6, H: 6}},
			{Name: "pain", Label: "Pain", Type: inkform.FieldChoice, Page: 2, Options: []inkform.Option{
				{Value: "none", Box: inkform.Box{X: 20, Y: 60, W: 6, H: 6}}, {Value: "some", Box: inkform.Box{X: 40, Y: 60, W: 6, H: 6}}}},
			{Name: "signature", Label: "Signature", Type: inkform.FieldSignature, Page: 2, Required: true,
				Box: &inkform.Box{X: 20, Y: 250, W: 80, H: 20}},
		},
	}}
}

// docCapture is the fake capture service that also keeps the documents it
// makes, with their digital values, where the console reads documents.
type docCapture struct {
	*fake.Capture
	forms *fake.Forms
	docs  *fake.Documents
}

func (c *docCapture) SubmitDigital(ctx context.Context, orgID string, sub *inkform.DigitalSubmission) (*inkform.Document, bool, error) {
	doc, replayed, err := c.Capture.SubmitDigital(ctx, orgID, sub)
	if err != nil || replayed {
		return doc, replayed, err
	}
	form, err := c.forms.FindForm(ctx, orgID, sub.FormID)
	if err != nil {
		return nil, false, err
	}
	if doc.Fields, err = form.DigitalFields(sub); err != nil {
		return nil, false, err
	}
	doc.FormVersion = form.Version
	c.docs.Put(doc, nil)
	return doc, false, nil
}

// tabletClinic is a harness with the visit form and a user of each role.
type tabletClinic struct {
	*harness
	org     *inkform.Org
	capture *docCapture
}

func newTabletClinic(t *testing.T) *tabletClinic {
	t.Helper()
	capture := &docCapture{Capture: &fake.Capture{}}
	h := newHarness(t, func(s *Server) { s.Capture = capture })
	capture.forms, capture.docs = h.forms, h.docs
	c := &tabletClinic{harness: h, org: h.org("Riverside Clinic"), capture: capture}
	for _, role := range inkform.Roles() {
		h.user(c.org, string(role)+"@example.org", role, password)
	}
	h.forms.Put(visitForm(c.org.ID))
	return c
}

// signedIn returns a browser signed in as the role's user.
func (c *tabletClinic) signedIn(t *testing.T, role inkform.Role) *browser {
	b := c.browser(t)
	b.mustSignIn(string(role)+"@example.org", password)
	return b
}

var (
	keyInput  = regexp.MustCompile(`name="submission" value="([^"]+)"`)
	pageInput = regexp.MustCompile(`name="page" value="(\d+)"`)
)

// fill returns the form's inputs as a tablet posts them: the first page
// right, the second ticked, chosen and signed with two strokes.
func fill(csrf, key, page, goTo string) url.Values {
	return url.Values{"csrf": {csrf}, "submission": {key}, "page": {page}, "go": {goTo},
		"v.patient_no": {"004711"}, "v.visit_date": {"2026-11-27"},
		"v.dressing_changed": {"false", "true"}, "v.pain": {"some"},
		"ink.signature": {`{"strokes":[{"points":[[5,10,0,0.4],[20,4,16,0.5],[35,15,33,0.6]]},{"points":[[40,12,200,0.5],[70,12,240,0.5]]}]}`}}
}

// TestTabletAccess: roles that capture may fill forms; others, and forms
// of other orgs, get nothing.
func TestTabletAccess(t *testing.T) {
	t.Parallel()
	c := newTabletClinic(t)
	other := c.harness.org("Hillside")
	c.forms.Put(&inkform.Form{ID: "01form0other", OrgID: other.ID, Version: 1, FormTemplate: visitForm(other.ID).FormTemplate})
	tests := []struct {
		role   inkform.Role
		path   string
		status int
	}{
		{inkform.RoleAdmin, "/f/01form0visit", 200},
		{inkform.RoleIntegrator, "/f/01form0visit", 200},
		{inkform.RoleGateway, "/f/01form0visit", 200},
		{inkform.RoleVerifier, "/f/01form0visit", 403},
		{inkform.RoleDesigner, "/f/01form0visit", 403},
		{inkform.RoleAdmin, "/f/01form0other", 404},
		{inkform.RoleAdmin, "/f/nothing", 404},
	}
	for _, tt := range tests {
		b := c.signedIn(t, tt.role)
		if p := b.get(tt.path); p.StatusCode != tt.status {
			t.Errorf("%s GET %s: %d, want %d", tt.role, tt.path, p.StatusCode, tt.status)
		}
	}
	c.browser(t).get("/f/01form0visit").wantRedirect(t, "signed out", "/login")

	// The list of forms to fill: the org's own.
	list := c.signedIn(t, inkform.RoleGateway).get("/f/")
	if list.StatusCode != 200 || !strings.Contains(list.body, `href="/f/01form0visit"`) || strings.Contains(list.body, "01form0other") {
		t.Errorf("the list of forms: %d\n%s", list.StatusCode, list.body)
	}
	if home := c.signedIn(t, inkform.RoleIntegrator).get("/"); !strings.Contains(home.body, `href="/f/"`) {
		t.Errorf("the integrator's console does not offer the forms to fill")
	}
}

// TestTabletFill goes through both pages without a script, as a browser
// without JavaScript would: Next judges the page, Back goes back, Submit
// sends the values and the ink to capture once, even when tapped twice.
func TestTabletFill(t *testing.T) {
	t.Parallel()
	c := newTabletClinic(t)
	b := c.signedIn(t, inkform.RoleGateway)
	p := b.get("/f/01form0visit")
	p.wantStatus(t, "the form", 200)
	csrf, key := p.csrf(t), keyInput.FindStringSubmatch(p.body)[1]
	for _, want := range []string{`inputmode="numeric"`, `maxlength="6"`, `type="date"`, `<canvas id="in-4"`, `aria-label="Page 2" hidden`, `value="next"`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the form has no %s", want)
		}
	}

	// Next with the first page empty: the problems at the fields.
	empty := url.Values{"csrf": {csrf}, "submission": {key}, "page": {"1"}, "go": {"next"}}
	p = b.do("POST", "/f/01form0visit", empty)
	p.wantStatus(t, "next, empty", 422)
	if got := pageInput.FindStringSubmatch(p.body)[1]; got != "1" || strings.Count(p.body, "<li>is required</li>") != 2 || !strings.Contains(p.body, "autofocus") {
		t.Errorf("next, empty: page %s, problems shown %d:\n%s", got, strings.Count(p.body, "<li>is required</li>"), p.body)
	}
	// A date the format cannot hold.
	bad := fill(csrf, key, "1", "next")
	bad.Set("v.visit_date", "1850-01-01")
	if p = b.do("POST", "/f/01form0visit", bad); p.StatusCode != 422 || !strings.Contains(p.body, "outside the years the format DDMMYY can hold") {
		t.Errorf("an 1850 date: %d", p.StatusCode)
	}
	// Right: page 2, the values kept.
	p = b.do("POST", "/f/01form0visit", fill(csrf, key, "1", "next"))
	p.wantStatus(t, "next", 200)
	if got := pageInput.FindStringSubmatch(p.body)[1]; got != "2" || !strings.Contains(p.body, `value="004711"`) || !strings.Contains(p.body, `value="submit"`) {
		t.Errorf("after next: page %s:\n%s", got, p.body)
	}
	if p = b.do("POST", "/f/01form0visit", fill(csrf, key, "2", "back")); pageInput.FindStringSubmatch(p.body)[1] != "1" {
		t.Errorf("back did not go to page 1")
	}

	// Submit without the signature: page 2 again, the problem at the pad.
	unsigned := fill(csrf, key, "2", "submit")
	unsigned.Del("ink.signature")
	p = b.do("POST", "/f/01form0visit", unsigned)
	if p.StatusCode != 422 || !strings.Contains(p.body, "is required: draw it in the box") || pageInput.FindStringSubmatch(p.body)[1] != "2" {
		t.Fatalf("unsigned: %d\n%s", p.StatusCode, p.body)
	}
	if n := len(c.capture.Digital()); n != 0 {
		t.Fatalf("a refused form reached capture %d times", n)
	}

	// Submit, twice (a double tap): one submission, both on its page.
	first := b.do("POST", "/f/01form0visit", fill(csrf, key, "2", "submit"))
	second := b.do("POST", "/f/01form0visit", fill(csrf, key, "2", "submit"))
	if first.StatusCode != 303 || second.Header.Get("Location") != first.Header.Get("Location") ||
		!strings.HasPrefix(first.Header.Get("Location"), "/f/01form0visit/done/") {
		t.Fatalf("submit: %d to %q, again to %q", first.StatusCode, first.Header.Get("Location"), second.Header.Get("Location"))
	}
	subs := c.capture.Digital()
	if len(subs) != 1 {
		t.Fatalf("%d submissions captured, want 1", len(subs))
	}
	sub := subs[0]
	if sub.SubmissionID != key || sub.Values["patient_no"] != "004711" || sub.Values["visit_date"] != "271126" ||
		sub.Values["dressing_changed"] != true || sub.Values["pain"] != "some" {
		t.Errorf("captured %s: %v", sub.SubmissionID, sub.Values)
	}
	if ink := sub.Ink["signature"]; len(ink) != 2 || ink[0].Points[1] != (inkform.Point{X: 20, Y: 4, T: 16, F: 0.5}) {
		t.Errorf("captured ink %+v", ink)
	}
	done := b.get(first.Header.Get("Location"))
	done.wantStatus(t, "the document's page", 200)
	for _, want := range []string{"004711", "271126", "received", "document.pdf?k="} {
		if !strings.Contains(done.body, want) {
			t.Errorf("the document's page has no %q:\n%s", want, done.body)
		}
	}
}

// TestTabletDoneAccess: the page of a submitted document is its
// submitter's session's (a gateway reads no other documents) and any
// reader's of the org.
func TestTabletDoneAccess(t *testing.T) {
	t.Parallel()
	c := newTabletClinic(t)
	b := c.signedIn(t, inkform.RoleGateway)
	p := b.get("/f/01form0visit")
	loc := b.do("POST", "/f/01form0visit", fill(p.csrf(t), keyInput.FindStringSubmatch(p.body)[1], "2", "submit")).Header.Get("Location")
	path, _, _ := strings.Cut(loc, "?")
	tests := []struct {
		who    *browser
		url    string
		status int
	}{
		{b, loc, 200},
		{b, path, 404},
		{b, path + "?k=forged", 404},
		{c.signedIn(t, inkform.RoleGateway), loc, 404}, // another session
		{c.signedIn(t, inkform.RoleAdmin), path, 200},
		{b, strings.Replace(loc, "01form0visit", "01form0other", 1), 404},
	}
	for i, tt := range tests {
		if got := tt.who.get(tt.url); got.StatusCode != tt.status {
			t.Errorf("%d: GET %s: %d, want %d", i, tt.url, got.StatusCode, tt.status)
		}
	}
	// No PDFs on this server: said so, not a failure.
	if got := b.get(path + "/document.pdf?" + strings.SplitN(loc, "?", 2)[1]); got.StatusCode != 503 {
		t.Errorf("the PDF without a render store: %d", got.StatusCode)
	}
}

// TestTabletRefusals: a post without the CSRF token, with a bad key, or
// with ink that is not the pad's is refused and captures nothing.
func TestTabletRefusals(t *testing.T) {
	t.Parallel()
	c := newTabletClinic(t)
	b := c.signedIn(t, inkform.RoleIntegrator)
	p := b.get("/f/01form0visit")
	csrf, key := p.csrf(t), keyInput.FindStringSubmatch(p.body)[1]
	many := make([]string, tabletInkLimits.MaxPoints+1)
	for i := range many {
		many[i] = "[1,1]"
	}
	tests := []struct {
		name   string
		change func(url.Values)
		status int
		want   string
	}{
		{"no csrf", func(v url.Values) { v.Del("csrf") }, 403, "out of date"},
		{"bad key", func(v url.Values) { v.Set("submission", "a\x01b") }, 400, "control characters"},
		{"ink not json", func(v url.Values) { v.Set("ink.signature", "[[1,2]]") }, 422, "could not be read"},
		{"ink outside the box", func(v url.Values) { v.Set("ink.signature", `{"strokes":[{"points":[[5,10],[150,10]]}]}`) }, 422, "outside the 80 × 20 mm box"},
		{"too many points", func(v url.Values) {
			v.Set("ink.signature", `{"strokes":[{"points":[`+strings.Join(many, ",")+`]}]}`)
		}, 422, fmt.Sprintf("more than the limit of %d points", tabletInkLimits.MaxPoints)},
		{"an unknown option", func(v url.Values) { v.Set("v.pain", "lots") }, 422, "is not one of the options"},
	}
	for _, tt := range tests {
		in := fill(csrf, key, "2", "submit")
		tt.change(in)
		p := b.do("POST", "/f/01form0visit", in)
		if p.StatusCode != tt.status || !strings.Contains(p.body, tt.want) {
			t.Errorf("%s: %d, want %d with %q:\n%s", tt.name, p.StatusCode, tt.status, tt.want, p.body)
		}
	}
	if n := len(c.capture.Digital()); n != 0 {
		t.Errorf("refused posts reached capture %d times", n)
	}
	if p := b.get("/f/01form0visit"); p.StatusCode != http.StatusOK {
		t.Errorf("the form after the refusals: %d", p.StatusCode)
	}
}

// FuzzTabletInk: whatever a post holds, the pad's parser returns strokes
// within its limits or an error, never a panic.
func FuzzTabletInk(f *testing.F) {
	for _, s := range []string{"", `{"strokes":[]}`, `{"strokes":[{"points":[[1,2,3,0.5]]}]}`, `{"strokes":[{"points":[[1e309,2]]}]}`, `{"strokes":[{}]}`, `[`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		strokes, err := parseTabletInk(s)
		if err != nil {
			if c := inkform.ErrorCode(err); c != inkform.EINVALID && c != inkform.ETOOLARGE {
				t.Fatalf("error of code %q: %v", c, err)
			}
			return
		}
		points := 0
		for _, st := range strokes {
			if len(st.Points) == 0 {
				t.Fatal("a stroke without points")
			}
			points += len(st.Points)
		}
		if len(strokes) > tabletInkLimits.MaxTraces || points > tabletInkLimits.MaxPoints || int64(len(s)) > tabletInkLimits.MaxBytes {
			t.Fatalf("%d strokes, %d points from %d bytes: over the limits", len(strokes), points, len(s))
		}
	})
}
