package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

const inkML = "application/inkml+xml"

func TestCLIContract(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	// Flags after and before the name.
	mustCLI(t, "org", "create", "acme", "--data", data)
	if out := mustCLI(t, "org", "create", "--data", data, "globex"); out != "" {
		t.Errorf("org create printed %q on stdout; want nothing", out)
	}
	tok := mustCLI(t, "token", "create", "--org", "acme", "--role", "gateway", "--data", data)
	if !regexp.MustCompile(`^ifk_[a-z2-7]{32}\n$`).MatchString(tok) {
		t.Errorf("token create printed %q; want the token alone on one line", tok)
	}
	tok2 := mustCLI(t, "token", "create", "--data", data, "--role", "admin", "--org", "globex")
	if tok2 == tok {
		t.Error("two tokens are equal")
	}
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"org", "create", "acme", "--data", data}, 1, "exists"},
		{[]string{"token", "create", "--org", "acme", "--role", "root", "--data", data}, 2, "--role"},
		{[]string{"token", "create", "--org", "nobody", "--role", "admin", "--data", data}, 1, "nobody"},
		{[]string{"org", "create", "--data", data}, 2, "argument"},
		{[]string{"frobnicate"}, 2, "unknown command"},
	}
	for _, tt := range tests {
		out, errs, code := cli(t, tt.args...)
		if code != tt.code || out != "" || !strings.Contains(errs, tt.msg) {
			t.Errorf("inkform %s: exit %d, stdout %q, stderr %q; want exit %d and a message with %q",
				strings.Join(tt.args, " "), code, out, errs, tt.code, tt.msg)
		}
	}
	// Tokens made on the command line are in their org's audit log.
	if n := countRows(t, data, "audit_events", "action = 'token.create' AND actor = 'cli' AND detail LIKE 'role %'"); n != 2 {
		t.Errorf("%d token.create audit events by the CLI, want 2", n)
	}
	if out := mustCLI(t, "version"); !strings.HasPrefix(out, "inkform ") {
		t.Errorf("version printed %q", out)
	}
	if _, errs, code := cli(t, "help", "serve"); code != 0 || !strings.Contains(errs, "-addr") || !strings.Contains(errs, "INKFORM_") {
		t.Errorf("help serve: exit %d, %q", code, errs)
	}
	if out, _, code := cli(t, "help", "org"); code != 0 || !strings.Contains(out, "org create") {
		t.Errorf("help org: exit %d, %q", code, out)
	}
	if _, errs, code := cli(t, "token"); code != 2 || !strings.Contains(errs, "token create") {
		t.Errorf("token alone: exit %d, %q", code, errs)
	}
}

func TestEnvironmentConfiguresFlags(t *testing.T) {
	// Not parallel: it sets process environment.
	data := t.TempDir()
	t.Setenv("INKFORM_DATA", data)
	mustCLI(t, "org", "create", "env-org")
	// The flag wins over the variable: this store has no such org.
	if _, _, code := cli(t, "token", "create", "--org", "env-org", "--role", "admin", "--data", t.TempDir()); code == 0 {
		t.Error("--data did not win over INKFORM_DATA")
	}
	mustCLI(t, "token", "create", "--org", "env-org", "--role", "admin")
	t.Setenv("INKFORM_BATCH_MAX", "many")
	if _, errs, code := cli(t, "org", "create", "x"); code == 0 || !strings.Contains(errs, "INKFORM_BATCH_MAX") {
		t.Errorf("a bad variable was accepted: exit %d, %q", code, errs)
	}
}

func TestServeRefusesPlainHTTPOffLoopback(t *testing.T) {
	t.Parallel()
	_, errs, code := cli(t, "serve", "--addr", "0.0.0.0:0", "--data", t.TempDir())
	if code != 1 || !strings.Contains(errs, "--tls-cert") || !strings.Contains(errs, "--behind-tls-proxy") {
		t.Errorf("exit %d, %q; want a refusal that names the way out", code, errs)
	}
}

// createSampleForm posts examples/wound-check.json and returns its id.
func createSampleForm(t *testing.T, s *server, token string) string {
	t.Helper()
	r := s.call(t, "POST", "/api/v1/forms", token, "application/json", readFile(t, "../../examples/wound-check.json"))
	want(t, r, 201, "create form")
	var form struct {
		ID    string `json:"id"`
		Pages []struct {
			Address string `json:"address"`
		} `json:"pages"`
	}
	r.json(t, &form)
	if form.ID == "" || len(form.Pages) != 1 || form.Pages[0].Address != "70.3.12.5" {
		t.Fatalf("created form %s", r.body)
	}
	return form.ID
}

type captureAnswer struct {
	Documents []struct {
		ID    string `json:"id"`
		Form  string `json:"form"`
		Pages []int  `json:"pages"`
	} `json:"documents"`
}

func TestInkToDocument(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	tok := s.org(t, "clinic", "admin", "gateway")
	formID := createSampleForm(t, s, tok["admin"])

	r := s.call(t, "POST", "/api/v1/ink", tok["gateway"], inkML, readFile(t, "../../examples/wound-check.inkml"))
	want(t, r, 202, "submit ink")
	var ans captureAnswer
	r.json(t, &ans)
	if len(ans.Documents) != 1 || ans.Documents[0].Form != formID || fmt.Sprint(ans.Documents[0].Pages) != "[1]" {
		t.Fatalf("capture answered %s", r.body)
	}
	id := ans.Documents[0].ID

	// The status leaves "received" within a second on an idle node.
	var doc struct {
		ID, Form, Status string
		FormVersion      int `json:"formVersion"`
		Pages            []struct {
			Number  int
			Address string
		}
		Fields map[string]json.RawMessage
	}
	start := time.Now()
	for {
		r = s.call(t, "GET", "/api/v1/documents/"+id, tok["admin"], "", nil)
		want(t, r, 200, "get document")
		r.json(t, &doc)
		if doc.Status != "received" || time.Since(start) > 5*time.Second {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if took := time.Since(start); doc.Status == "received" || took > time.Second {
		t.Errorf("status %q after %s; want it to leave received within 1 s", doc.Status, took)
	}
	if doc.Form != formID || doc.FormVersion != 1 || len(doc.Pages) != 1 || doc.Pages[0].Address != "70.3.12.5" {
		t.Errorf("document %s", r.body)
	}
	for _, f := range []string{"patient_no", "visit_date", "dressing_changed", "pain", "signature"} {
		if _, ok := doc.Fields[f]; !ok {
			t.Errorf("document lacks field %s: %s", f, r.body)
		}
	}
	r = s.call(t, "GET", "/api/v1/documents/"+id+"/ink", tok["admin"], "", nil)
	want(t, r, 200, "get ink")
	if !strings.Contains(string(r.body), "<trace") || !strings.Contains(string(r.body), "70.3.12.5") {
		t.Errorf("ink answer is not InkML of the page: %.200s", r.body)
	}
}

func TestIdempotentResubmission(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	tok := s.org(t, "clinic", "admin", "gateway")
	createSampleForm(t, s, tok["admin"])
	body := readFile(t, "../../examples/wound-check.inkml")
	first := s.callWithHeader(t, "POST", "/api/v1/ink", tok["gateway"], inkML, body, "Idempotency-Key", "pen-42-tx-7")
	want(t, first, 202, "first submission")
	second := s.callWithHeader(t, "POST", "/api/v1/ink", tok["gateway"], inkML, body, "Idempotency-Key", "pen-42-tx-7")
	if second.status != 202 || second.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("resubmission: status %d, replayed %q", second.status, second.header.Get("Idempotent-Replayed"))
	}
	var a, b captureAnswer
	first.json(t, &a)
	second.json(t, &b)
	if a.Documents[0].ID != b.Documents[0].ID {
		t.Errorf("resubmission made document %s; want the first one %s", b.Documents[0].ID, a.Documents[0].ID)
	}
	var list struct{ Documents []json.RawMessage }
	s.call(t, "GET", "/api/v1/documents", tok["admin"], "", nil).json(t, &list)
	if len(list.Documents) != 1 {
		t.Errorf("%d documents after a resubmission; want 1", len(list.Documents))
	}
}
