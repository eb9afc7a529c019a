package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// waitStatus polls a document until its status leaves "received".
func waitStatus(t *testing.T, s *server, token, id string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var doc map[string]any
		r := s.call(t, "GET", "/api/v1/documents/"+id, token, "", nil)
		want(t, r, 200, "get document")
		r.json(t, &doc)
		if doc["status"] != "received" || time.Now().After(deadline) {
			return doc
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestDigitalSubmissionValidatesWithoutAPerson(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	tok := s.org(t, "clinic", "admin", "integrator")
	formID := createSampleForm(t, s, tok["admin"])
	body := `{"fields":{"patient_no":"004711","visit_date":"271126","dressing_changed":true,"pain":"some",
		"signature":{"strokes":[{"points":[[5,10],[20,4],[35,15],[50,5],[70,12]]}]}}}`
	r := s.call(t, "POST", "/api/v1/forms/"+formID+"/submissions", tok["integrator"], "application/json", []byte(body))
	want(t, r, 201, "digital submission")
	var doc struct{ ID string }
	r.json(t, &doc)
	got := waitStatus(t, s, tok["integrator"], doc.ID)
	if got["status"] != "validated" {
		t.Fatalf("a valid digital submission is %v: %v", got["status"], got["fields"])
	}

	bad := `{"fields":{"patient_no":4711,"visit_date":"311126","pain":"maybe","nurse":"x"}}`
	r = s.call(t, "POST", "/api/v1/forms/"+formID+"/submissions", tok["integrator"], "application/json", []byte(bad))
	want(t, r, 422, "invalid digital submission")
	var p struct {
		Problems []struct{ Path, Message string }
	}
	r.json(t, &p)
	named := map[string]bool{}
	for _, q := range p.Problems {
		named[strings.TrimPrefix(q.Path, "fields.")] = true
	}
	for _, f := range []string{"patient_no", "nurse"} {
		if !named[f] {
			t.Errorf("problems %+v do not name %s", p.Problems, f)
		}
	}
}

func TestVerifyAndApprove(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	tok := s.org(t, "clinic", "admin", "gateway", "verifier")
	// A threshold of 1 sends every read document to a person.
	tmpl := strings.Replace(string(readFile(t, "../../examples/wound-check.json")), `"confidenceThreshold": 0.9`, `"confidenceThreshold": 1`, 1)
	want(t, s.call(t, "POST", "/api/v1/forms", tok["admin"], "application/json", []byte(tmpl)), 201, "create form")
	r := s.call(t, "POST", "/api/v1/ink", tok["gateway"], inkML, readFile(t, "../../examples/wound-check.inkml"))
	want(t, r, 202, "submit ink")
	var ans captureAnswer
	r.json(t, &ans)
	id := ans.Documents[0].ID
	doc := waitStatus(t, s, tok["verifier"], id)
	if doc["status"] != "needs_verification" {
		t.Fatalf("document is %v; want needs_verification with a threshold of 1", doc["status"])
	}
	fields := doc["fields"].(map[string]any)
	sig := fields["signature"].(map[string]any)
	if sig["value"] != true {
		t.Errorf("the sample's signature was not found: %v", sig)
	}

	// A value that breaks a rule is refused, naming the field.
	r = s.call(t, "PATCH", "/api/v1/documents/"+id, tok["verifier"], "application/json", []byte(`{"fields":{"visit_date":"310226","patient_no":"12a"}}`))
	want(t, r, 422, "invalid correction")
	if !strings.Contains(string(r.body), "visit_date") || !strings.Contains(string(r.body), "patient_no") {
		t.Errorf("problems do not name both fields: %s", r.body)
	}
	// Clearing a required field is allowed, but approval then refuses.
	want(t, s.call(t, "PATCH", "/api/v1/documents/"+id, tok["verifier"], "application/json", []byte(`{"fields":{"patient_no":null}}`)), 200, "clear a field")
	r = s.call(t, "POST", "/api/v1/documents/"+id+"/approve", tok["verifier"], "", nil)
	want(t, r, 422, "approve with a required field empty")
	if !strings.Contains(string(r.body), "patient_no") {
		t.Errorf("refusal does not name patient_no: %s", r.body)
	}
	// A gateway may not verify.
	want(t, s.call(t, "PATCH", "/api/v1/documents/"+id, tok["gateway"], "application/json", []byte(`{"fields":{"patient_no":"1"}}`)), 403, "gateway verifies")

	r = s.call(t, "PATCH", "/api/v1/documents/"+id, tok["verifier"], "application/json",
		[]byte(`{"fields":{"patient_no":"004711","visit_date":"271126","dressing_changed":true,"pain":"some","signature":true}}`))
	want(t, r, 200, "correct all fields")
	var patched struct {
		Status string
		Fields map[string]struct {
			Value      any
			Source     string
			Confidence float64
		}
	}
	r.json(t, &patched)
	if f := patched.Fields["patient_no"]; f.Value != "004711" || f.Source != "verifier" || f.Confidence != 1 {
		t.Errorf("patched patient_no = %+v", f)
	}
	r = s.call(t, "POST", "/api/v1/documents/"+id+"/approve", tok["verifier"], "", nil)
	want(t, r, 200, "approve")
	r.json(t, &patched)
	if patched.Status != "validated" {
		t.Fatalf("approved document is %s", patched.Status)
	}
	var hist struct {
		Changes []struct{ From, To, Cause string }
		Fields  []struct {
			Field, By, Source string
			From, To          any
		}
	}
	s.call(t, "GET", "/api/v1/documents/"+id+"/history", tok["verifier"], "", nil).json(t, &hist)
	last := hist.Changes[len(hist.Changes)-1]
	if last.To != "validated" || !strings.Contains(last.Cause, "approved") {
		t.Errorf("history ends with %+v", last)
	}
	if len(hist.Changes) < 3 || hist.Changes[0].To != "received" {
		t.Errorf("history %+v; want received → … → validated", hist.Changes)
	}
	// The field history holds the verifier's corrections: who, from what,
	// to what.
	var corrected bool
	for _, f := range hist.Fields {
		if f.Field == "patient_no" && f.To == "004711" && f.From == nil && f.By != "" && f.Source == "verifier" {
			corrected = true
		}
	}
	if !corrected {
		t.Errorf("field history %+v lacks patient_no set to 004711 after it was cleared", hist.Fields)
	}
	b, _ := json.Marshal(hist)
	if strings.Contains(string(b), "ifk_") {
		t.Error("a token secret appears in the history")
	}
}
