package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/inkform/inkform/sqlstore/sqlstoretest"
)

// TestIdempotencyContract runs the contract of every create against a real
// server on each database: a replay answers the first status and body with
// Idempotent-Replayed: true, the same key with other content is 409 naming
// the key, and a key no database stores alike (byte 0xFF, which PostgreSQL
// refuses in text) is 400, whether it comes as a header or in the body.
func TestIdempotencyContract(t *testing.T) {
	t.Parallel()
	sqlstoretest.ForEach(t, func(t *testing.T, dsn string) {
		s := startServer(t, "--data", t.TempDir(), "--db", dsn)
		tok := s.org(t, "clinic", "admin", "gateway", "integrator")
		formID := createSampleForm(t, s, tok["admin"])
		countDocuments := func() int {
			var list struct{ Documents []json.RawMessage }
			s.call(t, "GET", "/api/v1/documents", tok["admin"], "", nil).json(t, &list)
			return len(list.Documents)
		}

		// Ink: the fingerprint is of the ink, so the body re-indented is
		// a replay; a moved point is other content.
		ink := readFile(t, "../../examples/wound-check.inkml")
		postInk := func(body []byte, key string) response {
			return s.callWithHeader(t, "POST", "/api/v1/ink", tok["gateway"], inkML, body, "Idempotency-Key", key)
		}
		first := postInk(ink, "gw-1")
		want(t, first, 202, "first ink")
		again := postInk(bytes.ReplaceAll(ink, []byte("\n  "), []byte("\n    ")), "gw-1")
		if again.status != 202 || again.header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(again.body, first.body) {
			t.Errorf("ink replay: %d, replayed %q\n%s\nwant\n%s", again.status, again.header.Get("Idempotent-Replayed"), again.body, first.body)
		}
		moved := bytes.Replace(ink, []byte("82.75 106.125"), []byte("92.75 106.125"), 1)
		if bytes.Equal(moved, ink) {
			t.Fatal("the sample ink has no point 82.75 106.125 to move")
		}
		conflict := postInk(moved, "gw-1")
		if conflict.status != 409 || !strings.Contains(string(conflict.body), `\"gw-1\"`) {
			t.Errorf("ink with other content: %d %s, want 409 naming the key", conflict.status, conflict.body)
		}
		if r := postInk(ink, "gw-\xff"); r.status != 400 || !strings.Contains(string(r.body), "UTF-8") {
			t.Errorf("key with byte 0xFF: %d %s", r.status, r.body)
		}

		// Digital: the fingerprint is of the decoded submission, so key
		// order and spaces do not matter.
		postDigital := func(body, key string) response {
			return s.callWithHeader(t, "POST", "/api/v1/forms/"+formID+"/submissions", tok["integrator"], "application/json",
				[]byte(body), "Idempotency-Key", key)
		}
		created := postDigital(validSubmission, "tab-1")
		want(t, created, 201, "first digital submission")
		if created.header.Get("Idempotent-Replayed") != "" {
			t.Errorf("a first submission says it is replayed")
		}
		reordered := `{"submissionId": "tab-1", "fields": {"pain": "some", "dressing_changed": true, "visit_date": "271126",
			"signature": {"strokes": [{"points": [[5, 10], [20, 4], [35, 15], [50, 5], [70, 12]]}]}, "patient_no": "004711"}}`
		replay := postDigital(reordered, "")
		var a, b struct{ ID string }
		created.json(t, &a)
		replay.json(t, &b)
		if replay.status != 201 || replay.header.Get("Idempotent-Replayed") != "true" || b.ID != a.ID ||
			replay.header.Get("Location") != created.header.Get("Location") {
			t.Errorf("digital replay: %d, replayed %q, document %s (want %s), Location %q",
				replay.status, replay.header.Get("Idempotent-Replayed"), b.ID, a.ID, replay.header.Get("Location"))
		}
		other := postDigital(strings.Replace(validSubmission, "004711", "004712", 1), "tab-1")
		if other.status != 409 || !strings.Contains(string(other.body), `\"tab-1\"`) {
			t.Errorf("digital with other content: %d %s, want 409 naming the key", other.status, other.body)
		}
		for _, bad := range []string{`"tab-\u0001"`, "\"tab-\xff\"", `"tab-\u0085"`} {
			body := strings.Replace(validSubmission, `{"fields"`, `{"submissionId": `+bad+`, "fields"`, 1)
			if r := postDigital(body, ""); r.status != 400 || !strings.Contains(string(r.body), "submissionId") {
				t.Errorf("submissionId %s: %d %s, want 400", bad, r.status, r.body)
			}
		}
		if r := postDigital(validSubmission, "tab-\xff"); r.status != 400 {
			t.Errorf("digital key with byte 0xFF: %d %s", r.status, r.body)
		}
		if n := countDocuments(); n != 2 {
			t.Errorf("%d documents, want 2 (one per kind)", n)
		}
	})
}
