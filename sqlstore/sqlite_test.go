package sqlstore_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/inkform/inkform/sqlstore"
)

// TestSQLiteFilesPrivate checks that the database and its WAL and
// shared-memory files are readable by their owner only — they hold every
// document — also when an older version left the database file 0644.
func TestSQLiteFilesPrivate(t *testing.T) {
	t.Parallel()
	for _, pre := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "inkform.db")
		if pre {
			if err := os.WriteFile(path, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		db := openDB(t, "sqlite:"+path, sqlstore.Options{})
		if _, err := db.CreateOrg(context.Background(), "private"); err != nil {
			t.Fatalf("create org: %v", err)
		}
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatalf("pre-existing %v: %v", pre, err)
			}
			if mode := fi.Mode().Perm(); mode != 0o600 {
				t.Errorf("pre-existing %v: %s has mode %o, want 600", pre, filepath.Base(p), mode)
			}
		}
	}
}
