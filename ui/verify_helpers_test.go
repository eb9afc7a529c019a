package ui

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// intake is the test form: a patient number the engine may misread, a
// checkbox, a choice, a signature and a blind double-entry field.
func intake(orgID string) *inkform.Form {
	six := 6
	return &inkform.Form{ID: "01form0intake", OrgID: orgID, Version: 1, FormTemplate: inkform.FormTemplate{
		Name: "Patient intake", Pattern: inkform.PatternCopied, ConfidenceThreshold: 0.9,
		Pages: []inkform.PageSpec{{Size: inkform.Size{W: 210, H: 297}, Address: "1.2.3.4"}},
		Fields: []inkform.Field{
			{Name: "name", Label: "Name", Type: inkform.FieldText, Page: 1, Box: &inkform.Box{X: 20, Y: 30, W: 120, H: 12}},
			{Name: "patient_no", Label: "Patient number", Type: inkform.FieldNumber, Page: 1, Comb: 6, MaxLength: &six, Required: true,
				Box: &inkform.Box{X: 20, Y: 60, W: 90, H: 15}},
			{Name: "smoker", Label: "Smoker", Type: inkform.FieldCheckbox, Page: 1, Box: &inkform.Box{X: 20, Y: 90, W: 8, H: 8}},
			{Name: "visit", Label: "Visit", Type: inkform.FieldChoice, Page: 1, Options: []inkform.Option{
				{Value: "first", Label: "First visit", Box: inkform.Box{X: 20, Y: 110, W: 8, H: 8}},
				{Value: "follow_up", Label: "Follow-up", Box: inkform.Box{X: 60, Y: 110, W: 8, H: 8}}}},
			{Name: "signature", Label: "Signature", Type: inkform.FieldSignature, Page: 1, Box: &inkform.Box{X: 20, Y: 240, W: 100, H: 25}},
		},
	}}
}

// waitingDoc is a document of the intake form that needs verification:
// the engine read the patient number 128456 where 123456 was written.
func waitingDoc(orgID, id string, created time.Time) *inkform.Document {
	return &inkform.Document{ID: id, OrgID: orgID, FormID: "01form0intake", FormVersion: 1, Status: inkform.StatusNeedsVerification,
		PenID: "pen-1", Pages: []inkform.DocumentPage{{Number: 1, Address: "1.2.3.4", Strokes: 2}}, CreatedAt: created, UpdatedAt: created,
		Fields: map[string]inkform.FieldValue{
			"name":       {Value: "Ada Lovelace", Confidence: 0.97, Source: inkform.SourceICR, Valid: true},
			"patient_no": {Value: "128456", Confidence: 0.61, Source: inkform.SourceICR, Valid: true, Alternatives: []string{"123456", "128458", "123458", "723456"}},
			"smoker":     {Value: false, Confidence: 0.99, Source: inkform.SourcePen, Valid: true},
			"visit":      {Value: "first", Confidence: 0.95, Source: inkform.SourcePen, Valid: true},
			"signature":  {Value: true, Confidence: 0.99, Source: inkform.SourcePen, Valid: true},
		}}
}

// inkOf is ink in the patient number's box, the name's and the
// signature's.
func inkOf(docID string) *inkform.DocumentInk {
	line := func(x0, y0, x1, y1 float64) inkform.Stroke {
		return inkform.Stroke{Points: []inkform.Point{{X: x0, Y: y0}, {X: (x0 + x1) / 2, Y: (y0 + y1) / 2, T: 10}, {X: x1, Y: y1, T: 20}}}
	}
	return &inkform.DocumentInk{DocumentID: docID, PenID: "pen-1", Pages: []inkform.PageInk{{Address: "1.2.3.4",
		Strokes: []inkform.Stroke{line(22, 62, 30, 73), line(24, 33, 60, 40), line(30, 250, 90, 258)}}}}
}

// clinic is a harness with an org, two verifiers and n waiting documents
// of the intake form, oldest first.
type clinic struct {
	*harness
	org  *inkform.Org
	ann  *inkform.User
	bob  *inkform.User
	docs []string
}

func newClinic(t *testing.T, n int) *clinic {
	t.Helper()
	h := newHarness(t)
	c := &clinic{harness: h, org: h.org("Riverside Clinic")}
	c.ann = h.user(c.org, "ann@example.org", inkform.RoleVerifier, password)
	c.bob = h.user(c.org, "bob@example.org", inkform.RoleVerifier, password)
	h.forms.Put(intake(c.org.ID))
	for i := range n {
		id := fmt.Sprintf("01doc%08d", i+1)
		h.docs.Put(waitingDoc(c.org.ID, id, h.clock.now().Add(-time.Duration(n-i)*time.Hour)), inkOf(id))
		c.docs = append(c.docs, id)
	}
	return c
}

// signedIn returns a browser of the verifier with the e-mail address.
func (c *clinic) signedIn(t *testing.T, email string) *browser {
	b := c.browser(t)
	b.mustSignIn(email, password)
	return b
}

// token returns the CSRF token of the browser's session, from a page.
func (b *browser) token() string { b.t.Helper(); return b.get("/").csrf(b.t) }

// postJSON posts JSON as the station's script does, with the token in
// the header ("" for none), and decodes the answer.
func (b *browser) postJSON(path, token string, body any) (int, stationAnswer) {
	b.t.Helper()
	data, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", b.h.ts.URL+path, strings.NewReader(string(data)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if token != "" {
		req.Header.Set(csrfHeader, token)
	}
	resp, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var a stationAnswer
	_ = json.Unmarshal(raw, &a)
	if a.Message == "" && a.Next == "" && resp.StatusCode >= 300 {
		a.Message = string(raw)
	}
	return resp.StatusCode, a
}

// open signs the verifier in and opens the i-th document in the station,
// returning the browser, the document's ID and the page's CSRF token.
func (c *clinic) open(t *testing.T, email string, i int) (*browser, string, string) {
	t.Helper()
	b := c.signedIn(t, email)
	id := c.docs[i]
	p := b.get("/verify/documents/" + id)
	p.wantStatus(t, "the station", http.StatusOK)
	return b, id, p.csrf(t)
}
