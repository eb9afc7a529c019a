package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/queue"
	"github.com/inkform/inkform/sqlstore"
	"github.com/inkform/inkform/sqlstore/sqlstoretest"
)

// envRedis names the Redis server the tests use.
const envRedis = "INKFORM_TEST_REDIS_URL"

// wakeQueue is the queue of the wake-up tests' jobs.
const wakeQueue = "wake_test"

// wakeArgs is a job whose worker reports when it started.
type wakeArgs struct {
	N int `json:"n"`
}

func (wakeArgs) Kind() string { return "wake_test" }

func (wakeArgs) InsertOpts() inkform.EnqueueOpts { return inkform.EnqueueOpts{Queue: wakeQueue} }

// pickup is a job's number and when a worker started it.
type pickup struct {
	n  int
	at time.Time
}

// testNode is one node of a wake-up test: its own connections to the
// shared database and its notifier, and, when it works jobs, its queue
// client.
type testNode struct {
	db       *sqlstore.DB
	notifier inkform.Notifier
	client   *queue.Client
}

// nodeOpts says how a test node is made. redis is the URL of --redis;
// local makes a node without a transport between nodes (polling only);
// poll > 0 starts workers of wakeQueue that report to picked.
type nodeOpts struct {
	redis   string
	prefix  string // of the Redis channels, so tests do not hear each other
	local   bool
	poll    time.Duration
	workers int
	picked  chan<- pickup
}

// startTestNode opens a node on dsn as cmd/inkform does (openNotifier),
// stopped and closed when the test ends.
func startTestNode(t testing.TB, dsn string, o nodeOpts) *testNode {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	n := &testNode{db: db}
	logger := slog.New(slog.DiscardHandler)
	var closeNotifier func() error
	if o.local {
		l := inkform.NewLocalNotifier()
		db.SetNotifier(l)
		n.notifier = l
	} else if n.notifier, closeNotifier, err = openNotifier(o.redis, o.prefix, db, logger); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if n.client != nil {
			sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			n.client.Stop(sctx)
			cancel()
		}
		if closeNotifier != nil {
			closeNotifier()
		}
		db.Close()
	})
	if o.poll <= 0 {
		return n
	}
	ws := queue.NewWorkers()
	queue.AddWorker(ws, queue.WorkFunc[wakeArgs](func(ctx context.Context, j *queue.Job[wakeArgs]) error {
		o.picked <- pickup{j.Args.N, time.Now()}
		return nil
	}), queue.WorkerOpts{})
	n.client, err = queue.NewClient(queue.Config{Store: db, Workers: ws, Notifier: n.notifier,
		Queues:       map[string]queue.QueueConfig{wakeQueue: {MaxWorkers: max(1, o.workers)}},
		PollInterval: o.poll, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitConnected waits until the nodes' transports are subscribed, so no
// message sent after it returns is missed.
func waitConnected(t testing.TB, within time.Duration, nodes ...*testNode) {
	t.Helper()
	deadline := time.Now().Add(within)
	for _, n := range nodes {
		c, ok := n.notifier.(interface{ Connected() bool })
		if !ok {
			continue
		}
		for !c.Connected() {
			if time.Now().After(deadline) {
				t.Fatalf("notifier not connected after %s", within)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// enqueueWake enqueues job n on node and returns when the commit returned.
func enqueueWake(t testing.TB, node *testNode, org string, n int) time.Time {
	t.Helper()
	if _, err := node.db.Enqueue(context.Background(), org, wakeArgs{N: n}, inkform.EnqueueOpts{}); err != nil {
		t.Fatal(err)
	}
	return time.Now()
}

// redisURL returns the test Redis, skipping the test without one.
func redisURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv(envRedis)
	if url == "" {
		t.Skip(envRedis + " is not set; skipping Redis (e.g. redis://127.0.0.1:6379/0)")
	}
	return url
}

// channelPrefix returns Redis channel names of this test run alone.
func channelPrefix(t testing.TB) string {
	return fmt.Sprintf("%s-%d:", t.Name(), time.Now().UnixNano())
}

// postgresDSN returns a fresh PostgreSQL database, skipping without one.
func postgresDSN(t testing.TB) string {
	t.Helper()
	return sqlstoretest.NewDatabase(t, "postgres")
}

// redisProcess is a redis-server of a test's own, which the test may kill
// and start again on the same port.
type redisProcess struct {
	port int
	cmd  *exec.Cmd
}

// startOwnRedis starts a redis-server on a free port, killed when the test
// ends. Without redis-server on PATH the test skips, unless envRedis is
// set: CI has Redis, so there a missing server is a failure.
func startOwnRedis(t testing.TB) *redisProcess {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv(envRedis) != "" {
			t.Fatalf("%s is set but redis-server is not on PATH: %v", envRedis, err)
		}
		t.Skip("redis-server is not on PATH; skipping the Redis outage test")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &redisProcess{port: l.Addr().(*net.TCPAddr).Port}
	l.Close()
	r.start(t)
	t.Cleanup(r.kill)
	return r
}

func (r *redisProcess) url() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", r.port) }

// start runs redis-server and waits until it accepts connections.
func (r *redisProcess) start(t testing.TB) {
	t.Helper()
	r.cmd = exec.Command("redis-server", "--port", fmt.Sprint(r.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no")
	r.cmd.Stdout, r.cmd.Stderr = io.Discard, io.Discard
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", r.port)); err == nil {
			c.Close()
			return
		}
	}
	t.Fatalf("redis-server on port %d did not start", r.port)
}

// kill stops the server at once, as a crash would.
func (r *redisProcess) kill() {
	if r.cmd != nil && r.cmd.Process != nil {
		r.cmd.Process.Kill()
		r.cmd.Wait()
	}
}
