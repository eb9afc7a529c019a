package sqlstore_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// TestMigrationVersionsMatch checks that every dialect has the same
// migration versions, so "version N" means one schema everywhere.
func TestMigrationVersionsMatch(t *testing.T) {
	t.Parallel()
	var want []string
	for _, d := range dialects {
		entries, err := os.ReadDir(filepath.Join("migrations", d))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if len(names) == 0 {
			t.Fatalf("no migrations for %s", d)
		}
		if want == nil {
			want = names
		} else if !slices.Equal(names, want) {
			t.Errorf("%s migrations %v, sqlite has %v", d, names, want)
		}
	}
}

// TestReadOnlyDSN opens servers with a "replica" (here the same database)
// for reads; SQLite ignores the option. A replica of another kind is refused.
func TestReadOnlyDSN(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openDB(t, dsn, sqlstore.Options{ReadOnlyDSN: dsn})
		org := newOrg(t, db)
		f := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		res := capture(t, db, org.ID, submission("", pageInk(f.Pages[0].Address, 1, 4)))
		if _, err := db.FindDocument(ctx, org.ID, res.Documents[0].ID); err != nil {
			t.Errorf("read through the replica: %v", err)
		}
		if db.Dialect() == "sqlite" {
			return
		}
		_, err := sqlstore.Open(ctx, dsn, sqlstore.Options{ReadOnlyDSN: "sqlite:" + filepath.Join(t.TempDir(), "x.db")})
		wantCode(t, err, inkform.EINVALID)
	})
}

// TestOptionsNow checks that Options.Now stamps what the store writes.
func TestOptionsNow(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		clk := &clock{t: mustTime(t, "2030-01-02T03:04:05.123456Z")}
		db := openDB(t, dsn, sqlstore.Options{Now: clk.now})
		org := newOrg(t, db)
		if !org.CreatedAt.Equal(clk.t) {
			t.Errorf("org created at %v, want %v", org.CreatedAt, clk.t)
		}
		got, err := db.FindOrgByID(context.Background(), org.ID)
		if err != nil || !got.CreatedAt.Equal(clk.t) {
			t.Errorf("stored created at %v, %v; want %v to the microsecond", got.CreatedAt, err, clk.t)
		}
	})
}
