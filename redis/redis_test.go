package redis_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/redis"
)

// EnvRedis names the Redis server the tests use.
const EnvRedis = "INKFORM_TEST_REDIS_URL"

// open returns a notifier on the test Redis, on channels of this test only,
// closed when the test ends.
func open(t *testing.T, prefix string) *redis.Notifier {
	t.Helper()
	url := os.Getenv(EnvRedis)
	if url == "" {
		t.Skip(EnvRedis + " is not set; skipping Redis (e.g. redis://127.0.0.1:6379/0)")
	}
	n, err := redis.Open(url, prefix, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := n.Close(); err != nil {
			t.Error(err)
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for !n.Connected() {
		if time.Now().After(deadline) {
			t.Fatalf("not subscribed to %s after 10 s", url)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return n
}

func testPrefix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "test_" + hex.EncodeToString(b[:]) + ":"
}

func collect(n inkform.Notifier, topic string) chan string {
	ch := make(chan string, 100)
	n.Subscribe(topic, func(p string) { ch <- p })
	return ch
}

// TestNotifier checks that what one node publishes reaches the other's
// subscribers, and its own once (the echo from Redis dropped), and that
// nodes with another prefix hear nothing.
func TestNotifier(t *testing.T) {
	t.Parallel()
	prefix := testPrefix()
	a, b, other := open(t, prefix), open(t, prefix), open(t, testPrefix())
	onA, onB := collect(a, inkform.TopicJobs), collect(b, inkform.TopicJobs)
	onOther, tokensB := collect(other, inkform.TopicJobs), collect(b, inkform.TopicTokens)
	ctx := context.Background()
	for _, m := range []struct{ topic, payload string }{
		{inkform.TopicJobs, "render"}, {inkform.TopicJobs, "render"}, {inkform.TopicTokens, "o/t"},
	} {
		if err := a.Publish(ctx, m.topic, m.payload); err != nil {
			t.Fatal(err)
		}
	}
	want := func(ch chan string, payload, what string) {
		t.Helper()
		select {
		case got := <-ch:
			if got != payload {
				t.Errorf("%s: got %q, want %q", what, got, payload)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: nothing in 5 s", what)
		}
	}
	want(onB, "render", "other node")
	want(tokensB, "o/t", "other node, tokens")
	want(onA, "render", "publishing node")
	want(onA, "render", "publishing node, second message")
	time.Sleep(300 * time.Millisecond)
	// b may have had one or two: the sender merges duplicates of a batch.
	if len(onA) != 0 || len(onOther) != 0 {
		t.Errorf("publishing node got %d more (echoes), another prefix got %d; want 0 and 0", len(onA), len(onOther))
	}
}

func TestOpenBadURL(t *testing.T) {
	t.Parallel()
	if _, err := redis.Open("http://127.0.0.1:6379", "", nil); inkform.ErrorCode(err) != inkform.EINVALID {
		t.Errorf("Open with an http URL: %v, want EINVALID", err)
	}
}
