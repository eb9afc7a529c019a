package sqlstore_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// listening opens a second store on the database of db (another node) and
// starts listeners on both, closed before the stores.
func listening(t *testing.T, dsn string) (a, b *sqlstore.DB, la, lb *sqlstore.Listener) {
	t.Helper()
	a, b = openDB(t, dsn, sqlstore.Options{}), openDB(t, dsn, sqlstore.Options{})
	ls := make([]*sqlstore.Listener, 2)
	for i, db := range []*sqlstore.DB{a, b} {
		l, err := db.Listen(nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		ls[i] = l
	}
	la, lb = ls[0], ls[1]
	waitConnected(t, la, lb)
	return a, b, la, lb
}

func waitConnected(t *testing.T, ls ...*sqlstore.Listener) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for _, l := range ls {
		for !l.Connected() {
			if time.Now().After(deadline) {
				t.Fatal("listener not connected after 10 s")
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// received collects a topic's payloads.
func received(n inkform.Notifier, topic string) chan string {
	ch := make(chan string, 100)
	n.Subscribe(topic, func(p string) { ch <- p })
	return ch
}

func expect(t *testing.T, ch chan string, want, what string) {
	t.Helper()
	select {
	case got := <-ch:
		if got != want {
			t.Errorf("%s: got %q, want %q", what, got, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: nothing within 5 s", what)
	}
}

func expectNothing(t *testing.T, ch chan string, what string) {
	t.Helper()
	select {
	case got := <-ch:
		t.Errorf("%s: got %q, want nothing", what, got)
	case <-time.After(200 * time.Millisecond):
	}
}

// TestListenWakesOtherNodes checks that jobs enqueued through one store are
// announced to the listener of another store on the same PostgreSQL
// database, by an enqueue and by a capture batch, and to the enqueuing
// node's own subscribers exactly once.
func TestListenWakesOtherNodes(t *testing.T) {
	t.Parallel()
	a, _, la, lb := listening(t, newDatabase(t, "postgres"))
	org := newOrg(t, a)
	f := newForm(t, a, org.ID, inkform.PatternCopied, 1)
	onA, onB := received(la, inkform.TopicJobs), received(lb, inkform.TopicJobs)

	if _, err := a.Enqueue(context.Background(), org.ID, noopArgs{}, inkform.EnqueueOpts{Queue: "q1"}); err != nil {
		t.Fatal(err)
	}
	expect(t, onB, "q1", "other node after Enqueue")
	expect(t, onA, "q1", "enqueuing node after Enqueue")
	expectNothing(t, onA, "enqueuing node, its own NOTIFY echoed")

	capture(t, a, org.ID, submission("", pageInk(f.Pages[0].Address, 1, 3)))
	expect(t, onB, inkform.QueueInterpret, "other node after a capture")

	tokens := received(lb, inkform.TopicTokens)
	if err := la.Publish(context.Background(), inkform.TopicTokens, "o/t"); err != nil {
		t.Fatal(err)
	}
	expect(t, tokens, "o/t", "token news")
}

// TestListenReconnects kills the listening connection from the server's
// side and checks that the listener comes back and hears again.
func TestListenReconnects(t *testing.T) {
	t.Parallel()
	dsn := newDatabase(t, "postgres")
	a, _, la, lb := listening(t, dsn)
	org := newOrg(t, a)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var killed int
	err = admin.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query LIKE 'LISTEN%'`).Scan(&killed)
	if err != nil || killed != 2 {
		t.Fatalf("terminated %d listening backends (%v), want 2", killed, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for la.Connected() && lb.Connected() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond) // until the loss is noticed
	}
	waitConnected(t, la, lb)
	onB := received(lb, inkform.TopicJobs)
	if _, err := a.Enqueue(context.Background(), org.ID, noopArgs{}, inkform.EnqueueOpts{Queue: "q2"}); err != nil {
		t.Fatal(err)
	}
	expect(t, onB, "q2", "other node after reconnecting")
}

func TestListenNeedsPostgres(t *testing.T) {
	t.Parallel()
	db := openDB(t, newDatabase(t, "sqlite"), sqlstore.Options{})
	if _, err := db.Listen(nil); inkform.ErrorCode(err) != inkform.EINVALID {
		t.Errorf("Listen on SQLite: %v, want EINVALID", err)
	}
}
