package ui

import (
	"encoding/json"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/examples"
	"github.com/inkform/inkform/inkml"
)

// maxStationWeight is the budget of one station page load with nothing
// cached: the HTML, the static files and every cutout (docs/performance.md).
const maxStationWeight = 150 << 10

var (
	staticRef = regexp.MustCompile(`(?:src|href)="(/static/[^"]+)"`)
	imgRef    = regexp.MustCompile(`<img class="cutout" src="([^"]+)"`)
)

// woundStation is a harness with a verifier signed in and one document
// of the sample form (examples/wound-check.*) with the sample's real ink
// waiting for them; it returns the browser, the form and the document.
func woundStation(t *testing.T) (*browser, *inkform.Form, string) {
	t.Helper()
	h := newHarness(t)
	org := h.org("Clinic")
	h.user(org, "ann@example.org", inkform.RoleVerifier, password)
	var tmpl inkform.FormTemplate
	if err := json.Unmarshal(examples.WoundCheckForm, &tmpl); err != nil {
		t.Fatal(err)
	}
	form := &inkform.Form{ID: "01formwound", OrgID: org.ID, Version: 1, FormTemplate: tmpl}
	h.forms.Put(form)
	data, err := os.ReadFile("../examples/wound-check.inkml")
	if err != nil {
		t.Fatal(err)
	}
	sub, err := inkml.Parse(data, inkml.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	doc := &inkform.Document{ID: "01docwound", OrgID: org.ID, FormID: "01formwound", FormVersion: 1, Status: inkform.StatusNeedsVerification,
		Pages: []inkform.DocumentPage{{Number: 1, Address: tmpl.Pages[0].Address}}, CreatedAt: h.clock.now().Add(-time.Hour),
		Fields: map[string]inkform.FieldValue{
			"patient_no":       {Value: "004717", Confidence: 0.61, Source: inkform.SourceICR, Valid: true, Alternatives: []string{"004711", "004177", "084711"}},
			"visit_date":       {Value: "271126", Confidence: 0.97, Source: inkform.SourceICR, Valid: true},
			"dressing_changed": {Value: true, Confidence: 0.99, Source: inkform.SourcePen, Valid: true},
			"pain":             {Value: "some", Confidence: 0.95, Source: inkform.SourcePen, Valid: true},
			"signature":        {Value: true, Confidence: 0.99, Source: inkform.SourcePen, Valid: true},
		}}
	h.docs.Put(doc, &inkform.DocumentInk{DocumentID: doc.ID, Pages: sub.Pages})
	b := h.browser(t)
	b.mustSignIn("ann@example.org", password)
	return b, form, doc.ID
}

// TestStationWeight weighs the station on the sample form with the
// sample's real ink (examples/wound-check.*): what a browser loads with
// an empty cache must stay under 150 KB.
//
//	go test ./ui -run TestStationWeight -v
func TestStationWeight(t *testing.T) {
	t.Parallel()
	b, form, id := woundStation(t)
	p := b.get("/verify/documents/" + id)
	p.wantStatus(t, "the station", 200)
	html, static, images := len(p.body), 0, 0
	seen := map[string]bool{}
	for _, m := range staticRef.FindAllStringSubmatch(p.body, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			static += len(b.get(m[1]).body)
		}
	}
	cutouts := imgRef.FindAllStringSubmatch(p.body, -1)
	for _, m := range cutouts {
		img := b.get(m[1])
		img.wantStatus(t, m[1], 200)
		images += len(img.body)
	}
	total := html + static + images
	t.Logf("station page weight: %d bytes = HTML %d + %d static files %d + %d cutouts %d", total, html, len(seen), static, len(cutouts), images)
	if len(cutouts) != len(form.Fields) || total > maxStationWeight {
		t.Errorf("the station weighs %d bytes with %d cutouts; want every field's cutout and at most %d", total, len(cutouts), maxStationWeight)
	}
}
