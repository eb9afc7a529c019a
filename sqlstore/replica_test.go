package sqlstore_test

import (
	"context"
	"net"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
	"github.com/inkform/inkform/sqlstore/sqlstoretest"
)

// EnvPostgresReplica names a streaming replica of INKFORM_TEST_POSTGRES_DSN's
// server (scripts/cluster-test.sh makes one with pg_basebackup -R); its
// database name is replaced by each test's own.
const EnvPostgresReplica = "INKFORM_TEST_POSTGRES_REPLICA_DSN"

// openWithReplica opens dsn with readDSN as its read replica, migrated.
func openWithReplica(t *testing.T, dsn, readDSN string) *sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{ReadOnlyDSN: readDSN, ReplicaCheckInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// readsDelta runs fn and returns how the replica's read counts moved.
func readsDelta(db *sqlstore.DB, fn func()) map[string]uint64 {
	before := db.ReplicaStatus().Reads
	fn()
	after := db.ReplicaStatus().Reads
	d := map[string]uint64{}
	for k, v := range after {
		if v != before[k] {
			d[k] = v - before[k]
		}
	}
	return d
}

// TestReplicaRouting reads through a "replica" that is the primary itself
// (not in recovery, so always caught up): plain reads go to it, reads
// after a recent write and reads of a writing request go to the primary.
func TestReplicaRouting(t *testing.T) {
	t.Parallel()
	dsn := sqlstoretest.NewDatabase(t, "postgres")
	db := openWithReplica(t, dsn, dsn)
	ctx := context.Background()
	org := newOrg(t, db)
	time.Sleep(50 * time.Millisecond) // a check after the write
	st := db.ReplicaStatus()
	if !st.Configured || !st.Up || !st.LagKnown || st.Lag > time.Second {
		t.Fatalf("status %+v, want configured, up, lag known and under 1 s", st)
	}
	tests := []struct {
		name string
		ctx  context.Context
		want string
	}{
		{"no write", ctx, sqlstore.ReadReplica},
		{"a write long ago", inkform.WithReadAfter(ctx, time.Now().Add(-time.Minute)), sqlstore.ReadReplica},
		{"a write just now", inkform.WithReadAfter(ctx, time.Now()), sqlstore.ReadAfterWrite},
		{"a writing request", inkform.WithPrimaryReads(ctx), sqlstore.ReadAfterWrite},
	}
	for _, tt := range tests {
		var err error
		d := readsDelta(db, func() { _, err = db.FindOrgByID(tt.ctx, org.ID) })
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
		if d[tt.want] != 1 || len(d) != 1 {
			t.Errorf("%s: reads went %v, want one %s", tt.name, d, tt.want)
		}
	}
}

// TestReplicaBehind reads through a "replica" that has none of the
// primary's rows (another, empty database): lists come from it (and are
// empty), while a row looked up by its key is read again on the primary,
// so a lagging replica never makes a fresh row "not found".
func TestReplicaBehind(t *testing.T) {
	t.Parallel()
	dsn := sqlstoretest.NewDatabase(t, "postgres")
	behind := sqlstoretest.NewDatabase(t, "postgres")
	openWithReplica(t, behind, "").Close() // migrated, and empty
	db := openWithReplica(t, dsn, behind)
	ctx := context.Background()
	org := newOrg(t, db)
	newForm(t, db, org.ID, inkform.PatternCopied, 1)
	var forms []*inkform.FormSummary
	var err error
	d := readsDelta(db, func() { forms, err = db.ListForms(ctx, org.ID, inkform.FormFilter{}) })
	if err != nil || len(forms) != 0 || d[sqlstore.ReadReplica] != 1 {
		t.Errorf("list: %d forms, err %v, reads %v; want the replica's empty list", len(forms), err, d)
	}
	var got *inkform.Org
	d = readsDelta(db, func() { got, err = db.FindOrgByID(ctx, org.ID) })
	if err != nil || got.ID != org.ID || d[sqlstore.ReadReplicaMissing] != 1 {
		t.Errorf("find: %v, %v, reads %v; want the org, read again on the primary", got, err, d)
	}
	if _, err := db.FindOrgByID(ctx, inkform.NewID()); inkform.ErrorCode(err) != inkform.ENOTFOUND {
		t.Errorf("find a missing org: %v, want ENOTFOUND", err)
	}
}

// TestReplicaNotThere opens a store whose replica never answers: the node
// starts, is ready, and reads from the primary.
func TestReplicaNotThere(t *testing.T) {
	t.Parallel()
	dsn := sqlstoretest.NewDatabase(t, "postgres")
	dead := withHost(t, dsn, closedAddr(t))
	db := openWithReplica(t, dsn, dead)
	ctx := context.Background()
	if err := db.Ping(ctx); err != nil {
		t.Errorf("Ping with the replica down: %v", err)
	}
	org := newOrg(t, db)
	var err error
	d := readsDelta(db, func() { _, err = db.FindOrgByID(ctx, org.ID) })
	if err != nil || d[sqlstore.ReadReplicaDown] != 1 {
		t.Errorf("read with the replica down: err %v, reads %v", err, d)
	}
	if st := db.ReplicaStatus(); st.Up {
		t.Errorf("status %+v, want down", st)
	}
}

// TestReplicaStops cuts the replica's connections while the store runs:
// the read that meets the dead connection runs again on the primary, later
// reads go there, and the replica is read again once it is back.
func TestReplicaStops(t *testing.T) {
	t.Parallel()
	dsn := sqlstoretest.NewDatabase(t, "postgres")
	u, _ := url.Parse(dsn)
	p := newProxy(t, u.Host)
	db := openWithReplica(t, dsn, p.dsn(t, dsn))
	ctx := context.Background()
	org := newOrg(t, db)
	if d := readsDelta(db, func() { _, _ = db.FindOrgByID(ctx, org.ID) }); d[sqlstore.ReadReplica] != 1 {
		t.Fatalf("reads went %v, want the replica", d)
	}
	p.close()
	for i := range 3 {
		if _, err := db.FindOrgByID(ctx, org.ID); err != nil {
			t.Fatalf("read %d with the replica stopped: %v", i, err)
		}
		if _, err := db.ListForms(ctx, org.ID, inkform.FormFilter{}); err != nil {
			t.Fatalf("list %d with the replica stopped: %v", i, err)
		}
	}
	if st := db.ReplicaStatus(); st.Up || st.Reads[sqlstore.ReadReplicaDown] == 0 {
		t.Errorf("status %+v, want down with reads sent to the primary", st)
	}
	newProxyAt(t, p.ln.Addr().String(), u.Host)
	deadline := time.Now().Add(5 * time.Second)
	for !db.ReplicaStatus().Up && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if d := readsDelta(db, func() { _, _ = db.FindOrgByID(ctx, org.ID) }); d[sqlstore.ReadReplica] != 1 {
		t.Errorf("after the replica came back reads went %v, want the replica", d)
	}
}

// TestReplicaStreaming runs against a real streaming replica: a read right
// after a write sees it (from the primary), the replica's lag is known and
// small, and once it has replayed the write the same read goes to it.
func TestReplicaStreaming(t *testing.T) {
	t.Parallel()
	rep := os.Getenv(EnvPostgresReplica)
	if rep == "" {
		t.Skip(EnvPostgresReplica + " is not set; skipping the streaming replica (scripts/cluster-test.sh sets it)")
	}
	dsn := sqlstoretest.NewDatabase(t, "postgres")
	u, _ := url.Parse(dsn)
	ru, err := url.Parse(rep)
	if err != nil {
		t.Fatal(err)
	}
	ru.Path = u.Path
	db := openWithReplica(t, dsn, ru.String())
	ctx := context.Background()
	deadline := time.Now().Add(10 * time.Second)
	for !db.ReplicaStatus().Up && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond) // the new database reaches the replica
	}
	org := newOrg(t, db)
	wrote := time.Now()
	after := inkform.WithReadAfter(ctx, wrote)
	if _, err := db.FindOrgByID(after, org.ID); err != nil {
		t.Fatalf("read right after the write: %v", err)
	}
	for time.Now().Before(deadline) {
		if d := readsDelta(db, func() { _, err = db.FindOrgByID(after, org.ID) }); d[sqlstore.ReadReplica] == 1 {
			if err != nil {
				t.Fatalf("the replica answered a read after its write without the row: %v", err)
			}
			st := db.ReplicaStatus()
			if !st.LagKnown || st.Lag > 5*time.Second {
				t.Errorf("status %+v, want a known lag under 5 s", st)
			}
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("reads after the write never went to the replica: %+v", db.ReplicaStatus())
}

func withHost(t *testing.T, dsn, host string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = host
	return u.String()
}

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}
