package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/inkform/inkform"
	ihttp "github.com/inkform/inkform/http"
	"github.com/inkform/inkform/sqlstore/sqlstoretest"
)

// longPoll is the worker nodes' poll interval in the wake-up tests: so long
// that a job picked up well before it was found by a wake-up, not a poll.
const longPoll = 10 * time.Second

// wakeWithin is how soon a woken node must have started a job.
const wakeWithin = 2 * time.Second

// TestWakeAcrossNodes enqueues jobs on one node (an API node without
// workers) and checks that a worker node polling every 10 s starts each
// within wakeWithin: on PostgreSQL through LISTEN/NOTIFY, and through Redis
// on SQLite and on PostgreSQL (--redis works on any database).
func TestWakeAcrossNodes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		dsn   func(t testing.TB) string
		redis bool
	}{
		{"postgres-listen", postgresDSN, false},
		{"sqlite-redis", func(t testing.TB) string { return sqlstoretest.NewDatabase(t, "sqlite") }, true},
		{"postgres-redis", postgresDSN, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var url string
			if tc.redis {
				url = redisURL(t)
			}
			dsn := tc.dsn(t)
			picked := make(chan pickup, 10)
			prefix := channelPrefix(t)
			api := startTestNode(t, dsn, nodeOpts{redis: url, prefix: prefix})
			worker := startTestNode(t, dsn, nodeOpts{redis: url, prefix: prefix, poll: longPoll, picked: picked})
			waitConnected(t, 10*time.Second, api, worker)
			// Past the worker's first claim, which runs at start.
			time.Sleep(200 * time.Millisecond)
			for i := range 3 {
				at := enqueueWake(t, api, "org-wake", i)
				select {
				case p := <-picked:
					if took := p.at.Sub(at); p.n != i || took > wakeWithin {
						t.Errorf("job %d: the worker started job %d after %s; want job %d within %s", i, p.n, took, i, wakeWithin)
					}
				case <-time.After(longPoll / 2):
					t.Fatalf("job %d: not started within %s (no wake-up)", i, longPoll/2)
				}
			}
		})
	}
}

// TestTokenRevokedAcrossNodes revokes a token through one API node and
// checks that another node, which has the token in its cache for an hour,
// refuses it at once; a third node without a notifier still accepts it,
// which shows that the cache, not a database lookup, was in the way.
func TestTokenRevokedAcrossNodes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		redis bool
	}{{"postgres-listen", false}, {"postgres-redis", true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var url string
			if tc.redis {
				url = redisURL(t)
			}
			dsn := postgresDSN(t)
			o := nodeOpts{redis: url, prefix: channelPrefix(t)}
			a, b := startTestNode(t, dsn, o), startTestNode(t, dsn, o)
			alone := startTestNode(t, dsn, nodeOpts{local: true})
			waitConnected(t, 10*time.Second, a, b)
			ctx := context.Background()
			org, err := a.db.CreateOrg(ctx, "Wake Org")
			if err != nil {
				t.Fatal(err)
			}
			tok, secret, err := a.db.CreateToken(ctx, org.ID, inkform.RoleAdmin, "revoked")
			if err != nil {
				t.Fatal(err)
			}
			server := func(n *testNode) *httptest.Server {
				s := &ihttp.Server{Tokens: n.db, Notifier: n.notifier, TokenCacheTTL: time.Hour}
				hs := httptest.NewServer(s.Handler())
				t.Cleanup(hs.Close)
				return hs
			}
			sa, sb, sAlone := server(a), server(b), server(alone)
			get := func(hs *httptest.Server) int {
				req, _ := http.NewRequest("GET", hs.URL+"/api/v1/tokens", nil)
				req.Header.Set("Authorization", "Bearer "+secret)
				resp, err := hs.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp.StatusCode
			}
			if sb, sAlone := get(sb), get(sAlone); sb != 200 || sAlone != 200 {
				t.Fatalf("before revoking: node b %d, lone node %d; want 200 (and the token cached)", sb, sAlone)
			}
			req, _ := http.NewRequest("DELETE", sa.URL+"/api/v1/tokens/"+tok.ID, nil)
			req.Header.Set("Authorization", "Bearer "+secret)
			resp, err := sa.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusNoContent {
				t.Fatalf("DELETE on node a: %d", resp.StatusCode)
			}
			deadline := time.Now().Add(wakeWithin)
			for get(sb) != http.StatusUnauthorized {
				if time.Now().After(deadline) {
					t.Fatalf("node b still accepts the revoked token after %s", wakeWithin)
				}
				time.Sleep(10 * time.Millisecond)
			}
			if code := get(sAlone); code != 200 {
				t.Errorf("the lone node answered %d; its cache should still hold the token (200)", code)
			}
		})
	}
}

// TestRedisStoppedMidRun kills the nodes' Redis while they work: jobs are
// still done, by polling, and enqueueing does not wait for Redis; once Redis
// is back, the nodes reconnect and wake-ups resume.
func TestRedisStoppedMidRun(t *testing.T) {
	t.Parallel()
	const poll = 4 * time.Second
	r := startOwnRedis(t)
	dsn := sqlstoretest.NewDatabase(t, "sqlite")
	picked := make(chan pickup, 10)
	api := startTestNode(t, dsn, nodeOpts{redis: r.url()})
	worker := startTestNode(t, dsn, nodeOpts{redis: r.url(), poll: poll, picked: picked, workers: 4})
	waitConnected(t, 10*time.Second, api, worker)
	time.Sleep(200 * time.Millisecond)
	woken := func(phase string, n int) {
		t.Helper()
		at := enqueueWake(t, api, "org-redis", n)
		select {
		case p := <-picked:
			if took := p.at.Sub(at); took > time.Second {
				t.Errorf("%s: job %d started after %s; want a wake-up within 1 s (poll: %s)", phase, p.n, took, poll)
			}
		case <-time.After(2 * poll):
			t.Fatalf("%s: job %d not started within %s", phase, n, 2*poll)
		}
	}
	woken("before the outage", 0)

	r.kill()
	deadline := time.Now().Add(10 * time.Second)
	for worker.notifier.(interface{ Connected() bool }).Connected() {
		if time.Now().After(deadline) {
			t.Fatal("the worker did not notice that Redis stopped")
		}
		time.Sleep(10 * time.Millisecond)
	}
	start := time.Now()
	for n := 1; n <= 3; n++ {
		enqueueWake(t, api, "org-redis", n)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("3 enqueues took %s while Redis was down; publishing must not wait for it", took)
	}
	for range 3 {
		select {
		case <-picked:
		case <-time.After(poll + 3*time.Second):
			t.Fatalf("jobs enqueued while Redis was down were not done by polling within %s", poll+3*time.Second)
		}
	}

	r.start(t)
	waitConnected(t, 30*time.Second, api, worker)
	for n := 4; n <= 6; n++ {
		woken("after Redis returned", n)
	}
}
