package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
	"github.com/inkform/inkform/sqlstore/sqlstoretest"
)

// stableTables are the tables whose rows, once the system is idle, no
// later work changes: every such row before a backup must be in the
// restore. (Jobs finish, feeds advance, sessions expire.)
var stableTables = []string{"orgs", "tokens", "users", "forms", "form_versions", "documents", "ink",
	"status_changes", "submissions", "audit_events", "handlers", "handler_deliveries", "document_renders"}

// dumpRows returns each table's rows as JSON lines, read from a store of
// dsn in one snapshot.
func dumpRows(t *testing.T, dsn string) map[string][]string {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string][]string{}
	err = db.ExportSnapshot(ctx, func(s inkform.BackupSnapshot) error {
		for _, tb := range s.Tables() {
			err := s.Rows(ctx, tb.Name, func(row []any) error {
				b, err := json.Marshal(row)
				out[tb.Name] = append(out[tb.Name], string(b))
				return err
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// backupTargets are the empty systems a restore fills: SQLite always,
// PostgreSQL and MySQL when their variables are set.
func backupTargets(t *testing.T) map[string][]string {
	t.Helper()
	targets := map[string][]string{"sqlite": {"--data", t.TempDir()}}
	for _, engine := range []string{"postgres", "mysql"} {
		env := sqlstoretest.EnvPostgres
		if engine == "mysql" {
			env = sqlstoretest.EnvMySQL
		}
		if os.Getenv(env) == "" {
			t.Logf("%s is not set: no restore into %s", env, engine)
			continue
		}
		targets[engine] = []string{"--db", sqlstoretest.NewDatabase(t, engine), "--data", t.TempDir()}
	}
	return targets
}

// TestBackupRestoreWhileIngesting fills a system (forms, documents from ink
// and from digital submissions, PDFs, deliveries, the audit log, a user),
// backs it up while a client keeps submitting, restores the archive into
// an empty system on every engine and compares: every row that existed
// before the backup, the PDFs byte for byte, the ink, the documents as the
// API shows them, and the restored system serves with the old tokens.
func TestBackupRestoreWhileIngesting(t *testing.T) {
	t.Parallel()
	var hooks atomic.Int64
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hooks.Add(1) }))
	defer recv.Close()
	srcData := t.TempDir()
	s := startServerArgs(t, []string{"--data", srcData}, []string{"--webhook-allow-private"})
	tok := s.org(t, "clinic", "admin", "gateway", "integrator")
	s.addUser(t, "clinic", "nurse@example.org", "admin", "correct horse battery staple")
	formID := createSampleForm(t, s, tok["admin"])
	r := s.call(t, "POST", "/api/v1/forms/"+formID+"/handlers", tok["integrator"], "application/json",
		[]byte(`{"type":"webhook","url":"`+recv.URL+`/hook","events":["document.validated"]}`))
	want(t, r, 201, "create handler")
	var handler struct{ ID string }
	r.json(t, &handler)

	submit := func() string { return submitDigital(t, s, tok["integrator"], formID) }
	var pre []string
	for range 3 {
		pre = append(pre, submit())
	}
	r = s.call(t, "POST", "/api/v1/ink", tok["gateway"], inkML, readFile(t, "../../examples/wound-check.inkml"))
	want(t, r, 202, "submit ink")
	var ans captureAnswer
	r.json(t, &ans)
	pre = append(pre, ans.Documents[0].ID)
	pdfs := map[string][]byte{}
	for _, id := range pre {
		pdfs[id] = waitPDF(t, s, id, tok["admin"]).body
	}
	for deadline := time.Now().Add(15 * time.Second); hooks.Load() < 3; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of 3 webhooks delivered within 15 s", hooks.Load())
		}
	}
	time.Sleep(300 * time.Millisecond) // the delivery log is written after the answer
	srcDSN := "sqlite:" + filepath.Join(srcData, "inkform.db")
	before := dumpRows(t, srcDSN)
	if len(before["handler_deliveries"]) == 0 || len(before["audit_events"]) == 0 || len(before["users"]) != 1 {
		t.Fatalf("the system is not filled: %d deliveries, %d audit events, %d users",
			len(before["handler_deliveries"]), len(before["audit_events"]), len(before["users"]))
	}

	// Back up while a client keeps submitting.
	var ingested atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
				submit()
				ingested.Add(1)
			}
		}
	})
	pass := filepath.Join(t.TempDir(), "pass")
	os.WriteFile(pass, []byte("correct horse battery staple\n"), 0o600)
	archive := filepath.Join(t.TempDir(), "archive")
	for start := time.Now(); ingested.Load() < 3 && time.Since(start) < 10*time.Second; {
		time.Sleep(5 * time.Millisecond)
	}
	during := ingested.Load()
	mustCLI(t, "backup", "--to", archive, "--data", srcData, "--with-keys", "--passphrase-file", pass)
	during = ingested.Load() - during
	close(stop)
	wg.Wait()
	if during == 0 {
		t.Fatal("nothing was submitted while the backup ran")
	}
	t.Logf("%d submissions while the backup ran", during)
	total := len(dumpRows(t, srcDSN)["documents"])

	for engine, storage := range backupTargets(t) {
		t.Run(engine, func(t *testing.T) {
			args := append([]string{"restore", "--from", archive, "--with-keys", "--passphrase-file", pass}, storage...)
			mustCLI(t, args...)
			if _, errs, code := cli(t, args...); code == 0 || !strings.Contains(errs, "not empty") {
				t.Errorf("a second restore into the same system: exit %d, %s", code, errs)
			}
			dsn := "sqlite:" + filepath.Join(storage[1], "inkform.db")
			if storage[0] == "--db" {
				dsn = storage[1]
			}
			after := dumpRows(t, dsn)
			for _, table := range stableTables {
				for _, row := range before[table] {
					if !slices.Contains(after[table], row) {
						t.Errorf("table %s lost a row in the restore: %s", table, row)
					}
				}
			}
			if n := len(after["documents"]); n < len(before["documents"]) || n > total {
				t.Errorf("%d documents restored; want between %d and %d", n, len(before["documents"]), total)
			}
			checkRestoredSystem(t, s, startServer(t, storage...), tok["admin"], pre, pdfs)
		})
	}
}

// checkRestoredSystem compares what the restored system's API answers with
// the source's: documents, ink and PDFs (bytes), with the source's token.
func checkRestoredSystem(t *testing.T, src, dst *server, token string, docs []string, pdfs map[string][]byte) {
	t.Helper()
	for _, id := range docs {
		for _, path := range []string{"/api/v1/documents/" + id, "/api/v1/documents/" + id + "/ink", "/api/v1/documents/" + id + "/history"} {
			a, b := src.call(t, "GET", path, token, "", nil), dst.call(t, "GET", path, token, "", nil)
			if b.status != 200 || strings.ReplaceAll(string(a.body), src.url, dst.url) != string(b.body) {
				t.Errorf("GET %s: restored %d %.300s\nsource %.300s", path, b.status, b.body, a.body)
			}
		}
		r := dst.call(t, "GET", "/api/v1/documents/"+id+"/pdf", token, "", nil)
		if r.status != 200 || string(r.body) != string(pdfs[id]) {
			t.Errorf("PDF of %s: restored %d, %d bytes; source %d bytes", id, r.status, len(r.body), len(pdfs[id]))
		}
	}
}
