package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestFormChoosesRemoteRecognizer: a form that names a configured remote
// engine has its handwriting read by it; the engine sees comb cells.
func TestFormChoosesRemoteRecognizer(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	engine := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Charset string `json:"charset"`
			Cells   int    `json:"cells"`
		}
		json.NewDecoder(r.Body).Decode(&req)
		calls.Add(1)
		text := "ABC"
		if req.Charset == "digits" && req.Cells == 6 {
			text = "123456"
		}
		json.NewEncoder(w).Encode(map[string]any{"text": text, "confidence": 0.99})
	}))
	defer engine.Close()

	s := startServerArgs(t, nil, []string{"--remote-recognizers", "acme=" + engine.URL})
	tok := s.org(t, "clinic", "admin", "gateway")
	tmpl := strings.Replace(string(readFile(t, "../../examples/wound-check.json")), `"name": "Wound check",`, `"name": "Wound check", "recognizer": "acme",`, 1)
	if tmpl == string(readFile(t, "../../examples/wound-check.json")) {
		t.Fatal("could not add the recognizer to the sample template")
	}
	want(t, s.call(t, "POST", "/api/v1/forms", tok["admin"], "application/json", []byte(tmpl)), 201, "create form")
	r := s.call(t, "POST", "/api/v1/ink", tok["gateway"], inkML, readFile(t, "../../examples/wound-check.inkml"))
	want(t, r, 202, "submit ink")
	var ans captureAnswer
	r.json(t, &ans)
	doc := waitStatus(t, s, tok["admin"], ans.Documents[0].ID)
	f := doc["fields"].(map[string]any)["patient_no"].(map[string]any)
	if f["value"] != "123456" || calls.Load() == 0 {
		t.Errorf("patient_no = %v after %d calls to the remote engine; want its reading 123456", f, calls.Load())
	}

	bad := strings.Replace(tmpl, `"recognizer": "acme"`, `"recognizer": "http://evil.example/"`, 1)
	r = s.call(t, "POST", "/api/v1/forms", tok["admin"], "application/json", []byte(bad))
	want(t, r, 422, "a URL as recognizer name")
}
