package main

import (
	"strings"
	"testing"
)

// TestTenantIsolation: another org's token gets 404 for every object of an
// org, on every endpoint that names one.
func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	a := s.org(t, "org-a", "admin", "gateway")
	b := s.org(t, "org-b", "admin")
	formID := createSampleForm(t, s, a["admin"])
	r := s.call(t, "POST", "/api/v1/ink", a["gateway"], inkML, readFile(t, "../../examples/wound-check.inkml"))
	want(t, r, 202, "submit ink")
	var ans captureAnswer
	r.json(t, &ans)
	docID := ans.Documents[0].ID
	r = s.call(t, "POST", "/api/v1/ink", a["gateway"], inkML, []byte(strings.ReplaceAll(string(readFile(t, "../../examples/wound-check.inkml")), "70.3.12.5", "70.3.99.1")))
	want(t, r, 422, "ink for an unknown page")
	var q struct {
		Quarantine []struct{ ID string } `json:"quarantine"`
	}
	s.call(t, "GET", "/api/v1/quarantine", a["admin"], "", nil).json(t, &q)
	if len(q.Quarantine) != 1 {
		t.Fatalf("org A's quarantine: %+v", q)
	}
	qID := q.Quarantine[0].ID
	var tokens struct {
		Tokens []struct{ ID string } `json:"tokens"`
	}
	s.call(t, "GET", "/api/v1/tokens", a["admin"], "", nil).json(t, &tokens)

	tests := []struct{ method, path, body string }{
		{"GET", "/api/v1/forms/" + formID, ""},
		{"PUT", "/api/v1/forms/" + formID, string(readFile(t, "../../examples/wound-check.json"))},
		{"GET", "/api/v1/forms/" + formID + "/versions/1", ""},
		{"POST", "/api/v1/forms/" + formID + "/copies", `{"count":1}`},
		{"POST", "/api/v1/forms/" + formID + "/submissions", `{"fields":{"patient_no":"1"}}`},
		{"GET", "/api/v1/documents/" + docID, ""},
		{"GET", "/api/v1/documents/" + docID + "/ink", ""},
		{"GET", "/api/v1/documents/" + docID + "/history", ""},
		{"POST", "/api/v1/quarantine/" + qID + "/reprocess", ""},
		{"DELETE", "/api/v1/quarantine/" + qID, ""},
		{"DELETE", "/api/v1/tokens/" + tokens.Tokens[0].ID, ""},
	}
	for _, tt := range tests {
		r := s.call(t, tt.method, tt.path, b["admin"], "application/json", []byte(tt.body))
		if r.status != 404 || !strings.Contains(r.header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("org B %s %s: %d %s; want 404 problem", tt.method, tt.path, r.status, r.body)
		}
	}
	// Lists show org B nothing of org A.
	for _, path := range []string{"/api/v1/forms", "/api/v1/documents", "/api/v1/quarantine", "/api/v1/jobs"} {
		r := s.call(t, "GET", path, b["admin"], "", nil)
		want(t, r, 200, "org B lists "+path)
		if strings.Contains(string(r.body), formID) || strings.Contains(string(r.body), docID) || strings.Contains(string(r.body), qID) {
			t.Errorf("org B's %s shows org A's objects: %s", path, r.body)
		}
	}
	// Org B's ink for org A's page address is quarantined in org B, not
	// added to org A's form.
	r = s.call(t, "POST", "/api/v1/ink", b["admin"], inkML, readFile(t, "../../examples/wound-check.inkml"))
	want(t, r, 422, "org B's ink for org A's page")
	// And the objects are still there for org A.
	want(t, s.call(t, "GET", "/api/v1/documents/"+docID, a["admin"], "", nil), 200, "org A reads its document")
	want(t, s.call(t, "GET", "/api/v1/forms/"+formID, a["admin"], "", nil), 200, "org A reads its form")
}

// TestRoles: each role reaches what it may, and gets 403 elsewhere.
func TestRoles(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	tok := s.org(t, "clinic", "admin", "designer", "verifier", "integrator", "gateway")
	formID := createSampleForm(t, s, tok["designer"])
	tests := []struct {
		role, method, path string
		ok                 bool
	}{
		{"gateway", "GET", "/api/v1/forms", false},
		{"gateway", "GET", "/api/v1/documents", false},
		{"gateway", "GET", "/api/v1/tokens", false},
		{"gateway", "POST", "/api/v1/forms/" + formID + "/submissions", false},
		{"verifier", "POST", "/api/v1/forms", false},
		{"verifier", "GET", "/api/v1/documents", true},
		{"designer", "GET", "/api/v1/forms/" + formID, true},
		{"designer", "GET", "/api/v1/quarantine", false},
		{"integrator", "GET", "/api/v1/documents", true},
		{"integrator", "POST", "/api/v1/ink", false},
		{"integrator", "GET", "/api/v1/jobs", false},
		{"admin", "GET", "/api/v1/jobs", true},
		{"admin", "GET", "/api/v1/tokens", true},
	}
	for _, tt := range tests {
		r := s.call(t, tt.method, tt.path, tok[tt.role], "application/json", nil)
		if got := r.status != 403; got != tt.ok {
			t.Errorf("%s %s %s: %d; want allowed=%v", tt.role, tt.method, tt.path, r.status, tt.ok)
		}
	}
	r := s.call(t, "POST", "/api/v1/ink", tok["gateway"], inkML, readFile(t, "../../examples/wound-check.inkml"))
	want(t, r, 202, "gateway submits ink")
	for _, bad := range []string{"", "ifk_notatoken", tok["admin"] + "x"} {
		r := s.call(t, "GET", "/api/v1/forms", bad, "", nil)
		if r.status != 401 || r.header.Get("WWW-Authenticate") == "" {
			t.Errorf("token %q: %d; want 401 with WWW-Authenticate", bad, r.status)
		}
	}
}

// TestQuarantineAndReprocess: ink for a page no form has is kept, and
// becomes a document once the form exists.
func TestQuarantineAndReprocess(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	tok := s.org(t, "clinic", "admin", "gateway")
	r := s.call(t, "POST", "/api/v1/ink", tok["gateway"], inkML, readFile(t, "../../examples/wound-check.inkml"))
	want(t, r, 422, "ink before the form exists")
	var p struct{ Detail string }
	r.json(t, &p)
	if !strings.Contains(p.Detail, "70.3.12.5") {
		t.Errorf("detail %q does not name the page address", p.Detail)
	}
	var q struct {
		Quarantine []struct {
			ID        string
			Addresses []string
		} `json:"quarantine"`
	}
	s.call(t, "GET", "/api/v1/quarantine", tok["admin"], "", nil).json(t, &q)
	if len(q.Quarantine) != 1 || len(q.Quarantine[0].Addresses) != 1 || q.Quarantine[0].Addresses[0] != "70.3.12.5" {
		t.Fatalf("quarantine %+v", q)
	}
	want(t, s.call(t, "POST", "/api/v1/quarantine/"+q.Quarantine[0].ID+"/reprocess", tok["admin"], "", nil), 422, "reprocess before the form exists")
	createSampleForm(t, s, tok["admin"])
	r = s.call(t, "POST", "/api/v1/quarantine/"+q.Quarantine[0].ID+"/reprocess", tok["admin"], "", nil)
	want(t, r, 202, "reprocess")
	var ans captureAnswer
	r.json(t, &ans)
	if len(ans.Documents) != 1 {
		t.Fatalf("reprocess answered %s", r.body)
	}
	want(t, s.call(t, "GET", "/api/v1/documents/"+ans.Documents[0].ID, tok["admin"], "", nil), 200, "reprocessed document")
	s.call(t, "GET", "/api/v1/quarantine", tok["admin"], "", nil).json(t, &q)
	if len(q.Quarantine) != 0 {
		t.Errorf("quarantine still holds %d after reprocessing", len(q.Quarantine))
	}
}
