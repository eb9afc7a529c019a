package main

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

// TestMaintenanceRunsAtStart checks that the maintenance job a new server
// enqueues completes with the workers as serve wires them: a dependency
// left out of the wiring (the delivery pruner once was) panics in the job,
// which no package's own tests see.
func TestMaintenanceRunsAtStart(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	startServer(t, "--data", data)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "inkform.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var state, lastErr string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		err := db.QueryRow(`SELECT state, COALESCE(last_error, '') FROM jobs WHERE kind = 'maintenance' ORDER BY id LIMIT 1`).
			Scan(&state, &lastErr)
		if err == nil && state == "completed" {
			return
		}
		if lastErr != "" {
			t.Fatalf("maintenance job %s: %s", state, lastErr)
		}
	}
	t.Fatalf("maintenance job not completed within 15 s: state %q", state)
}
