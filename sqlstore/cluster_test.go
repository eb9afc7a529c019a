package sqlstore_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// node returns a node with the given blob store ID and key fingerprint,
// knowing the schema this binary migrates to.
func node(name, blobID, key string) inkform.ClusterNode {
	return inkform.ClusterNode{Name: name, Schema: sqlstore.MigrationsVersion(), Settings: []inkform.ClusterSetting{
		{Name: inkform.SettingBlobStore, Value: blobID, Detail: "the folder /srv/" + blobID},
		{Name: inkform.SettingSecretKey, Value: key, Detail: "INKFORM_SECRET_KEY", Hint: "Set INKFORM_SECRET_KEY to the cluster's key."},
	}}
}

// mismatched returns the names of the settings err says differ, or fails
// when err is not a refusal.
func mismatched(t *testing.T, err error) []string {
	t.Helper()
	var m *inkform.ClusterMismatchError
	if !errors.As(err, &m) {
		t.Fatalf("err = %v; want a *ClusterMismatchError", err)
	}
	return m.Names()
}

func TestJoinCluster(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if err := inkform.JoinCluster(ctx, db, node("api-1", "blobs-a", "key-a")); err != nil {
			t.Fatalf("the first node is refused: %v", err)
		}
		if err := inkform.JoinCluster(ctx, db, node("api-2", "blobs-a", "key-a")); err != nil {
			t.Fatalf("a node with the same settings is refused: %v", err)
		}
		for _, tt := range []struct {
			name, blob, key string
			want            []string
		}{
			{"another key", "blobs-a", "key-b", []string{inkform.SettingSecretKey}},
			{"another blob store", "blobs-b", "key-a", []string{inkform.SettingBlobStore}},
			{"both", "blobs-b", "key-b", []string{inkform.SettingBlobStore, inkform.SettingSecretKey}},
		} {
			err := inkform.JoinCluster(ctx, db, node("worker-1", tt.blob, tt.key))
			if got := mismatched(t, err); !slices.Equal(got, tt.want) {
				t.Errorf("%s: refused for %v, want %v", tt.name, got, tt.want)
			}
			msg := err.Error()
			if tt.key == "key-b" && (!strings.Contains(msg, "key-a (INKFORM_SECRET_KEY, recorded by api-1 at ") ||
				!strings.Contains(msg, "Set INKFORM_SECRET_KEY to the cluster's key.")) {
				t.Errorf("%s: the message lacks the recorded value, its recorder or the hint:\n%s", tt.name, msg)
			}
			// The refused node's values were not recorded.
			if err := inkform.JoinCluster(ctx, db, node("api-3", "blobs-a", "key-a")); err != nil {
				t.Fatalf("after %s was refused, the cluster's own settings are refused: %v", tt.name, err)
			}
		}

		// The escape hatch: the new values win, the old node is refused.
		renewed := node("admin", "blobs-b", "key-b")
		if err := db.ResetClusterSettings(ctx, renewed.Name, renewed.Settings); err != nil {
			t.Fatalf("reset: %v", err)
		}
		if err := inkform.JoinCluster(ctx, db, renewed); err != nil {
			t.Errorf("after the reset, its settings are refused: %v", err)
		}
		if got := mismatched(t, inkform.JoinCluster(ctx, db, node("api-1", "blobs-a", "key-a"))); len(got) != 2 {
			t.Errorf("after the reset, the old settings differ in %v; want both", got)
		}
	})
}

func TestJoinClusterSchema(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		known := sqlstore.MigrationsVersion()
		if v, err := db.SchemaVersion(ctx); err != nil || v != known {
			t.Fatalf("SchemaVersion after Migrate = %d, %v; want %d", v, err, known)
		}
		if err := inkform.JoinCluster(ctx, db, node("new", "b", "k")); err != nil {
			t.Fatal(err)
		}

		// An older binary joins while the schema only added to what it
		// knows, and does not lower the recorded version.
		old := node("old", "b", "k")
		old.Schema = known - 1
		// The database has a migration the old binary lacks.
		if err := inkform.JoinCluster(ctx, db, old); err != nil {
			t.Errorf("an older binary above the floor is refused: %v", err)
		}
		if got := recorded(t, db, inkform.SettingSchemaVersion); got.Value != inkform.FormatSchemaVersion(known) || got.Node != "new" {
			t.Errorf("schema_version = %+v; want %s by the newer node", got, inkform.FormatSchemaVersion(known))
		}

		// A migration that older binaries cannot run on raises the floor.
		db.Exec(t, `UPDATE cluster_settings SET value = ? WHERE name = ?`, inkform.FormatSchemaVersion(known), inkform.SettingSchemaFloor)
		err := inkform.JoinCluster(ctx, db, old)
		if got := mismatched(t, err); !slices.Equal(got, []string{inkform.SettingSchemaVersion}) || !strings.Contains(err.Error(), "upgrade this node") {
			t.Errorf("an older binary below the floor: %v", err)
		}
		if err := inkform.JoinCluster(ctx, db, node("new", "b", "k")); err != nil {
			t.Errorf("a binary at the floor is refused: %v", err)
		}
		// A newer binary raises the recorded version.
		newer := node("newer", "b", "k")
		newer.Schema = known + 1
		db.Exec(t, `INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, ?)`, known+1, true)
		if err := inkform.JoinCluster(ctx, db, newer); err != nil {
			t.Fatalf("a newer binary is refused: %v", err)
		}
		if got := recorded(t, db, inkform.SettingSchemaVersion); got.Value != inkform.FormatSchemaVersion(known+1) || got.Node != "newer" {
			t.Errorf("schema_version = %+v; want %d by the newer node", got, known+1)
		}
	})
}

// TestJoinClusterUnmigrated: a binary newer than a schema nobody migrated
// (--migrate=false) is refused before it touches the registry's table.
func TestJoinClusterUnmigrated(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		db.MigrateTo(t, 8)
		err := inkform.JoinCluster(ctx, db, node("api", "b", "k"))
		if got := mismatched(t, err); !slices.Equal(got, []string{inkform.SettingSchemaVersion}) || !strings.Contains(err.Error(), "version 8, older than") {
			t.Errorf("on an unmigrated database: %v", err)
		}
	})
}

// TestJoinClusterTogether: nodes with different settings starting at once
// on an empty registry: exactly one wins, every other is refused.
func TestJoinClusterTogether(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		const n = 6
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				k := string(rune('a' + i))
				errs[i] = inkform.JoinCluster(context.Background(), db, node("node-"+k, "blobs-"+k, "key-"+k))
			})
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			var m *inkform.ClusterMismatchError
			switch {
			case err == nil:
				won++
			case !errors.As(err, &m):
				t.Errorf("join failed: %v", err)
			}
		}
		if won != 1 {
			t.Errorf("%d of %d nodes with different settings joined; want exactly 1: %v", won, n, errs)
		}
	})
}

func TestClusterSettingsRecord(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		first := []inkform.ClusterSetting{{Name: "x", Value: "1", Detail: "first"}, {Name: "v", Value: "00002", Ordered: true}}
		got, err := db.RecordClusterSettings(ctx, "one", first)
		if err != nil {
			t.Fatal(err)
		}
		names := make([]string, len(got))
		for i, s := range got {
			names[i] = s.Name
		}
		if !slices.Equal(names, []string{inkform.SettingSchemaFloor, "v", "x"}) {
			t.Fatalf("recorded %v; want the migration's floor and both settings, by name", names)
		}
		if got[0].Node != "" || !got[0].At.IsZero() || got[2].Node != "one" || got[2].At.IsZero() || got[2].Detail != "first" {
			t.Errorf("recorded %+v; want the floor by no node and x by one, with a time", got)
		}
		second := []inkform.ClusterSetting{{Name: "x", Value: "2", Detail: "second"}, {Name: "v", Value: "00001", Ordered: true}}
		if _, err := db.RecordClusterSettings(ctx, "two", second); err != nil {
			t.Fatal(err)
		}
		if x, v := recorded(t, db, "x"), recorded(t, db, "v"); x.Value != "1" || x.Node != "one" || v.Value != "00002" {
			t.Errorf("a later node changed the record: x = %+v, v = %+v", x, v)
		}
		for _, bad := range [][]inkform.ClusterSetting{
			{{Name: "", Value: "1"}},
			{{Name: strings.Repeat("n", 65), Value: "1"}},
			{{Name: "y", Value: strings.Repeat("v", 256)}},
		} {
			_, err := db.RecordClusterSettings(ctx, "three", bad)
			wantCode(t, err, inkform.EINVALID)
			wantCode(t, db.ResetClusterSettings(ctx, "three", bad), inkform.EINVALID)
		}
		if n := db.Count(t, "cluster_settings", ""); n != 3 {
			t.Errorf("%d settings after the refused ones; want 3", n)
		}
		// Reset replaces also an ordered value, downwards.
		if err := db.ResetClusterSettings(ctx, "admin", second); err != nil {
			t.Fatal(err)
		}
		if x, v := recorded(t, db, "x"), recorded(t, db, "v"); x.Value != "2" || x.Node != "admin" || x.Detail != "second" || v.Value != "00001" {
			t.Errorf("after the reset x = %+v, v = %+v", x, v)
		}
	})
}

// recorded returns the recorded setting of the name.
func recorded(t *testing.T, db *sqlstore.DB, name string) inkform.ClusterSetting {
	t.Helper()
	all, err := db.ClusterSettings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no setting %s recorded in %+v", name, all)
	return inkform.ClusterSetting{}
}

// TestMigrationsAlike: every dialect has migrations of the same versions,
// so "schema version N" means one thing (MigrationsVersion reads one).
func TestMigrationsAlike(t *testing.T) {
	t.Parallel()
	var want []string
	for _, d := range []string{"sqlite", "postgres", "mysql"} {
		entries, err := os.ReadDir("migrations/" + d)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, e.Name())
		}
		if want == nil {
			want = got
		} else if !slices.Equal(got, want) {
			t.Errorf("migrations/%s holds %v; migrations/sqlite holds %v", d, got, want)
		}
	}
	if v := sqlstore.MigrationsVersion(); v < 11 || inkform.FormatSchemaVersion(v) != strings.SplitN(want[len(want)-1], "_", 2)[0] {
		t.Errorf("MigrationsVersion() = %d; the newest file is %s", v, want[len(want)-1])
	}
}
