package main

import (
	"database/sql"
	"encoding/json"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// blobsOf lists the files the disk blob store under data holds for a
// document, in any org: a purge must leave none.
func blobsOf(t *testing.T, data, docID string) []string {
	t.Helper()
	var found []string
	root := filepath.Join(data, "blobs")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.Contains(filepath.ToSlash(path), "/documents/"+docID+"/") {
			found = append(found, path)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk blobs: %v", err)
	}
	return found
}

// countRows counts the rows of a table that match where, in the SQLite
// file under data opened read-only.
func countRows(t *testing.T, data, table, where string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "inkform.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM " + table + " WHERE " + where).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// documentRows counts, in the server's SQLite file opened read-only, the
// rows that hold anything of a document.
func documentRows(t *testing.T, data, docID string) map[string]int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "inkform.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]int{}
	for table, where := range map[string]string{
		"documents":        "id = ?",
		"ink":              "document_id = ?",
		"status_changes":   "document_id = ?",
		"document_renders": "document_id = ?",
		"pending jobs":     "unique_key = ? AND state IN ('available', 'retryable')",
	} {
		name := strings.TrimPrefix(table, "pending ")
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM "+name+" WHERE "+where, docID).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

// TestPurgeDocument is the partner flow: ink becomes a document with a PDF
// and a cutout, DELETE purges it, and nothing of it is left in the API, the
// object store or the database, while the audit log tells who read and
// purged it without showing any of its content.
func TestPurgeDocument(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	s := startServer(t, "--data", data)
	tok := s.org(t, "clinic", "admin", "gateway", "verifier")
	other := s.org(t, "rival", "admin")
	createSampleForm(t, s, tok["admin"])

	r := s.call(t, "POST", "/api/v1/ink", tok["gateway"], inkML, readFile(t, "../../examples/wound-check.inkml"))
	want(t, r, 202, "submit ink")
	var ans captureAnswer
	r.json(t, &ans)
	id := ans.Documents[0].ID
	doc := "/api/v1/documents/" + id

	// Interpretation first, so that no job is still changing the document
	// when it is purged.
	for start := time.Now(); ; time.Sleep(20 * time.Millisecond) {
		var d struct{ Status string }
		s.call(t, "GET", doc, tok["admin"], "", nil).json(t, &d)
		if d.Status != "received" {
			break
		} else if time.Since(start) > 10*time.Second {
			t.Fatal("the document was not interpreted within 10 s")
		}
	}
	// A sample value the audit log must never show.
	want(t, s.call(t, "PATCH", doc, tok["verifier"], "application/json", []byte(`{"fields":{"patient_no":"407215"}}`)), 200, "set patient_no")
	r = s.call(t, "GET", doc, tok["verifier"], "", nil)
	want(t, r, 200, "get document")
	if !strings.Contains(string(r.body), "407215") {
		t.Fatalf("the document does not show the value set: %s", r.body)
	}
	waitPDF(t, s, id, tok["verifier"])
	want(t, s.call(t, "GET", doc+"/fields/patient_no/cutout.png", tok["verifier"], "", nil), 200, "cutout")
	want(t, s.call(t, "GET", doc+"/ink", tok["verifier"], "", nil), 200, "ink")
	if n := len(blobsOf(t, data, id)); n < 2 {
		t.Fatalf("%d stored objects before the purge, want the PDF and a cutout", n)
	}
	for table, n := range documentRows(t, data, id) {
		if n == 0 && table != "pending jobs" {
			t.Fatalf("before the purge %s has no row of the document: the test proves nothing", table)
		}
	}

	want(t, s.call(t, "DELETE", doc, other["admin"], "", nil), 404, "another org's purge")
	want(t, s.call(t, "GET", doc, tok["verifier"], "", nil), 200, "document after another org's purge")
	want(t, s.call(t, "DELETE", doc, tok["verifier"], "", nil), 403, "verifier purges")
	r = s.call(t, "DELETE", doc, tok["admin"], "", nil)
	want(t, r, 204, "purge")
	if len(r.body) != 0 {
		t.Errorf("204 with a body: %s", r.body)
	}

	for _, p := range []string{doc, doc + "/pdf", doc + "/fields/patient_no/cutout.png", doc + "/fields/patient_no/cutout.svg", doc + "/ink", doc + "/history"} {
		want(t, s.call(t, "GET", p, tok["admin"], "", nil), 404, "GET "+p+" after the purge")
	}
	want(t, s.call(t, "DELETE", doc, tok["admin"], "", nil), 404, "second purge")
	if left := blobsOf(t, data, id); len(left) > 0 {
		t.Errorf("objects left after the purge: %q", left)
	}
	for table, n := range documentRows(t, data, id) {
		if n != 0 {
			t.Errorf("after the purge %s has %d row(s) of the document", table, n)
		}
	}

	r = s.call(t, "GET", "/api/v1/audit?kind=document&object="+id, tok["admin"], "", nil)
	want(t, r, 200, "audit")
	for _, secret := range []string{"407215", "AJX-", tok["verifier"], tok["admin"]} {
		if strings.Contains(string(r.body), secret) {
			t.Errorf("the audit log shows %q: %s", secret, r.body)
		}
	}
	var audit struct {
		Events []struct {
			Actor, Action, Detail string
			Object                struct{ Kind, ID string }
		}
	}
	if err := json.Unmarshal(r.body, &audit); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range audit.Events {
		if e.Object.ID != id || !strings.HasPrefix(e.Actor, "token ") {
			t.Errorf("event %+v", e)
		}
		seen[e.Action+" "+e.Detail] = true
	}
	for _, w := range []string{"document.read document", "document.read pdf", "document.read cutout patient_no.png", "document.read ink", "document.update set patient_no", "document.purge "} {
		if !seen[w] {
			t.Errorf("no audit event %q among %v", w, seen)
		}
	}
	want(t, s.call(t, "GET", "/api/v1/audit", tok["verifier"], "", nil), 403, "verifier reads the audit log")
	r = s.call(t, "GET", "/api/v1/audit?object="+id, other["admin"], "", nil)
	want(t, r, 200, "another org's audit")
	if strings.Contains(string(r.body), id) {
		t.Errorf("another org sees the events: %s", r.body)
	}
}
