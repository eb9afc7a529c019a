package http

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
)

func TestSubmissionCreate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.createForm(t)
	body := `{"fields": {
		"patient_no": "004711",
		"visited": true,
		"signature": {"strokes": [{"points": [[1, 2], [3, 4], [5, 6]]}]}
	}, "submissionId": "tablet-9-17"}`
	w := e.do(t, inkform.RoleIntegrator, "POST", "/api/v1/forms/"+f.ID+"/submissions", "application/json", body)
	if w.Code != 201 {
		t.Fatalf("status %d %s", w.Code, w.Body)
	}
	var doc inkform.Document
	decodeJSONBody(t, w, &doc)
	if w.Header().Get("Location") != "/api/v1/documents/"+doc.ID {
		t.Errorf("Location %q", w.Header().Get("Location"))
	}
	sub := e.capture.Digital()[0]
	if sub.FormID != f.ID || sub.SubmissionID != "tablet-9-17" ||
		sub.Values["patient_no"] != "004711" || sub.Values["visited"] != true ||
		len(sub.Ink["signature"]) != 1 || len(sub.Ink["signature"][0].Points) != 3 {
		t.Errorf("submission %+v", sub)
	}
	if _, ok := sub.Values["signature"]; ok {
		t.Errorf("ink was also given as a value")
	}
}

// TestSubmissionProblems sends one bad value per field and expects one
// problem per field, all in one answer.
func TestSubmissionProblems(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.createForm(t)
	body := `{"fields": {
		"patient_no": 4711,
		"visited": "yes",
		"signature": {"strokes": [{"points": [[1]]}]},
		"nurse": "Ann"
	}}`
	w := e.do(t, inkform.RoleIntegrator, "POST", "/api/v1/forms/"+f.ID+"/submissions", "application/json", body)
	p := decodeProblem(t, w)
	if w.Code != 422 {
		t.Fatalf("status %d %s", w.Code, w.Body)
	}
	want := map[string]string{
		"fields.nurse":      "not a field",
		"fields.patient_no": "JSON string",
		"fields.signature":  "point",
		"fields.visited":    "true or false",
	}
	if len(p.Problems) != len(want) {
		t.Fatalf("problems %+v", p.Problems)
	}
	for i, pr := range p.Problems {
		if !strings.Contains(pr.Message, want[pr.Path]) || strings.HasPrefix(pr.Message, strings.TrimPrefix(pr.Path, "fields.")+":") {
			t.Errorf("problem %d %+v", i, pr)
		}
		if i > 0 && p.Problems[i-1].Path >= pr.Path {
			t.Errorf("problems not sorted by path: %+v", p.Problems)
		}
	}
	if len(e.capture.Digital()) != 0 {
		t.Errorf("a refused submission reached the capture service")
	}
}

func TestSubmissionRequestErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.createForm(t)
	tests := []struct {
		name, target, body, key string
		status                  int
	}{
		{"unknown form", "/api/v1/forms/" + inkform.NewID() + "/submissions", `{"fields": {}}`, "", 404},
		{"unknown top-level key", "/api/v1/forms/" + f.ID + "/submissions", `{"fields": {}, "extra": 1}`, "", 400},
		{"fields not an object", "/api/v1/forms/" + f.ID + "/submissions", `{"fields": []}`, "", 400},
		{"key and body differ", "/api/v1/forms/" + f.ID + "/submissions", `{"fields": {}, "submissionId": "a"}`, "b", 422},
		{"key alone", "/api/v1/forms/" + f.ID + "/submissions", `{"fields": {}}`, "k-1", 201},
	}
	for _, tt := range tests {
		w := e.doWith(t, inkform.RoleIntegrator, "POST", tt.target, tt.body,
			map[string]string{"Content-Type": "application/json", "Idempotency-Key": tt.key})
		if w.Code != tt.status {
			t.Errorf("%s: %d, want %d: %s", tt.name, w.Code, tt.status, w.Body)
		}
	}
	if n := len(e.capture.Digital()); n != 1 || e.capture.Digital()[0].SubmissionID != "k-1" {
		t.Errorf("captured %d, want only the keyed one", n)
	}
}

// TestSubmissionIdempotency checks the answers of the idempotency contract
// for digital submissions; what counts as a replay is the store's business
// (sqlstore's TestSubmitDigitalIdempotencyContract).
func TestSubmissionIdempotency(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.createForm(t)
	target := "/api/v1/forms/" + f.ID + "/submissions"
	post := func(body, key string) *httptest.ResponseRecorder {
		t.Helper()
		return e.doWith(t, inkform.RoleIntegrator, "POST", target, body,
			map[string]string{"Content-Type": "application/json", "Idempotency-Key": key})
	}
	first := post(`{"fields": {"patient_no": "004711"}}`, "tab-1")
	if first.Code != 201 || first.Header().Get("Idempotent-Replayed") != "" {
		t.Fatalf("first: %d, replayed %q", first.Code, first.Header().Get("Idempotent-Replayed"))
	}
	again := post(`{"fields": {"patient_no": "004711"}, "submissionId": "tab-1"}`, "")
	var a, b inkform.Document
	decodeJSONBody(t, first, &a)
	decodeJSONBody(t, again, &b)
	if again.Code != 201 || again.Header().Get("Idempotent-Replayed") != "true" || b.ID != a.ID ||
		again.Header().Get("Location") != "/api/v1/documents/"+a.ID {
		t.Errorf("replay: %d, replayed %q, document %s (want %s), Location %q",
			again.Code, again.Header().Get("Idempotent-Replayed"), b.ID, a.ID, again.Header().Get("Location"))
	}

	bad := []struct{ name, id, detail string }{
		{"control character", `"tab\u0001"`, "control characters"},
		{"C1 control character", `"tab\u0085"`, "control characters"},
		{"byte 0xFF", "\"tab\xff\"", "UTF-8"},
		{"too long", `"` + strings.Repeat("k", inkform.MaxSubmissionIDLength+1) + `"`, "longer than"},
		{"not a string", `17`, "string"},
	}
	for _, tt := range bad {
		w := post(`{"fields": {"patient_no": "004711"}, "submissionId": `+tt.id+`}`, "")
		p := decodeProblem(t, w)
		if w.Code != 400 || !strings.Contains(p.Detail, "submissionId") || !strings.Contains(p.Detail, tt.detail) {
			t.Errorf("%s: %d %q, want 400 naming submissionId", tt.name, w.Code, p.Detail)
		}
	}
	for _, key := range []string{"tab\x01", "tab\xff"} {
		if w := post(`{"fields": {"patient_no": "004711"}}`, key); w.Code != 400 {
			t.Errorf("key %q: %d %s, want 400", key, w.Code, w.Body)
		}
	}
	if n := len(e.capture.Digital()); n != 1 {
		t.Errorf("%d submissions reached the capture service, want only the first", n)
	}

	// A conflict from the store is 409 with its message.
	e.capture.Hook = fake.FailOn("SubmitDigital", inkform.Errorf(inkform.ECONFLICT, "the Idempotency-Key/submissionId %q was used for a different submission", "tab-1"))
	w := post(`{"fields": {"patient_no": "004712"}}`, "tab-1")
	if p := decodeProblem(t, w); w.Code != 409 || !strings.Contains(p.Detail, `"tab-1"`) || w.Header().Get("Idempotent-Replayed") != "" {
		t.Errorf("conflict: %d %q", w.Code, p.Detail)
	}
}

// TestSubmissionSignatureIsInk: a signature is sent as its strokes, never
// as true, and strokes must lie at the box (the signature box of
// testTemplate is 80 × 20 mm); false is unsigned.
func TestSubmissionSignatureIsInk(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, signature string
		status          int
		problem         string // in the problem of fields.signature
	}{
		{"true", `true`, 422, "a signature is ink, so send its strokes"},
		{"false", `false`, 201, ""},
		{"null", `null`, 201, ""},
		{"ink in the box", `{"strokes": [{"points": [[5, 10], [30, 5], [60, 15]]}]}`, 201, ""},
		{"ink straying over the edge", `{"strokes": [{"points": [[60, 10], [120, 10]]}]}`, 201, ""},
		{"ink at x 500–600 mm", `{"strokes": [{"points": [[5, 10], [30, 5]]}, {"points": [[500, 10], [600, 10]]}]}`, 422,
			"strokes[1] lies outside the 80 × 20 mm box"},
		{"ink in page coordinates", `{"strokes": [{"points": [[25, 260], [60, 255]]}, {"points": [[70, 262], [90, 258]]}]}`, 422,
			"strokes[0], strokes[1] lie outside"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			f := e.createForm(t)
			body := `{"fields": {"patient_no": "4711", "signature": ` + tt.signature + `}}`
			w := e.do(t, inkform.RoleIntegrator, "POST", "/api/v1/forms/"+f.ID+"/submissions", "application/json", body)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			if tt.status == 201 {
				if sub := e.capture.Digital()[0]; sub.Values["signature"] == true {
					t.Errorf("signature stored as %v", sub.Values["signature"])
				}
				return
			}
			p := decodeProblem(t, w)
			if len(p.Problems) != 1 || p.Problems[0].Path != "fields.signature" || !strings.Contains(p.Problems[0].Message, tt.problem) {
				t.Errorf("problems %+v, want fields.signature: %q", p.Problems, tt.problem)
			}
			if !strings.Contains(p.Detail, "signature") {
				t.Errorf("detail %q does not name the field", p.Detail)
			}
			if len(e.capture.Digital()) != 0 {
				t.Error("a refused submission reached the capture service")
			}
		})
	}
}

// TestSubmissionNamesEveryProblem checks that a value of the wrong type
// does not hide the form's other problems: one answer names them all.
func TestSubmissionNamesEveryProblem(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tmpl := `{"name": "visit", "pages": [{"size": {"w": 210, "h": 297}}], "fields": [
		{"name": "code", "type": "text", "page": 1, "box": {"x": 10, "y": 10, "w": 50, "h": 10}, "required": true},
		{"name": "age", "type": "number", "page": 1, "box": {"x": 10, "y": 30, "w": 50, "h": 10}, "max": 130},
		{"name": "ok", "type": "checkbox", "page": 1, "box": {"x": 10, "y": 50, "w": 5, "h": 5}}]}`
	w := e.do(t, inkform.RoleDesigner, "POST", "/api/v1/forms", "application/json", tmpl)
	if w.Code != 201 {
		t.Fatalf("create form: %d %s", w.Code, w.Body)
	}
	var f inkform.Form
	decodeJSONBody(t, w, &f)
	w = e.do(t, inkform.RoleIntegrator, "POST", "/api/v1/forms/"+f.ID+"/submissions", "application/json",
		`{"fields": {"ok": "yes", "age": "140"}}`)
	p := decodeProblem(t, w)
	var paths []string
	for _, pr := range p.Problems {
		paths = append(paths, pr.Path)
	}
	if w.Code != 422 || strings.Join(paths, " ") != "fields.age fields.code fields.ok" {
		t.Errorf("%d, problems at %v; want 422 naming fields.age (too large), fields.code (required) and fields.ok (type)", w.Code, paths)
	}
	if len(e.capture.Digital()) != 0 {
		t.Error("a refused submission reached the capture service")
	}
}
