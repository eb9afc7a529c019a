package inkform_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

func TestLocalNotifier(t *testing.T) {
	t.Parallel()
	n := inkform.NewLocalNotifier()
	var jobs, tokens []string
	unsub := n.Subscribe(inkform.TopicJobs, func(p string) { jobs = append(jobs, p) })
	n.Subscribe(inkform.TopicTokens, func(p string) { tokens = append(tokens, p) })
	if err := n.Publish(context.Background(), inkform.TopicJobs, "render"); err != nil {
		t.Fatal(err)
	}
	unsub()
	unsub() // a second call does nothing
	n.Publish(context.Background(), inkform.TopicJobs, "deliver")
	n.Publish(context.Background(), inkform.TopicTokens, "o/t")
	if len(jobs) != 1 || jobs[0] != "render" {
		t.Errorf("jobs subscriber got %q, want only [render] (unsubscribed before deliver)", jobs)
	}
	if len(tokens) != 1 || tokens[0] != "o/t" {
		t.Errorf("tokens subscriber got %q", tokens)
	}
}

// Two relays stand for two nodes; what one sends, the transport gives to
// both (as PostgreSQL and Redis do).
func TestNotifyRelay(t *testing.T) {
	t.Parallel()
	a, b := inkform.NewNotifyRelay(), inkform.NewNotifyRelay()
	var gotA, gotB []string
	a.Subscribe(inkform.TopicJobs, func(p string) { gotA = append(gotA, p) })
	b.Subscribe(inkform.TopicJobs, func(p string) { gotB = append(gotB, p) })
	msg := a.Outgoing(inkform.TopicJobs, "interpret")
	a.Incoming(inkform.TopicJobs, msg) // the echo of its own message
	b.Incoming(inkform.TopicJobs, msg)
	b.Incoming(inkform.TopicJobs, "no-origin") // malformed: dropped
	if len(gotA) != 1 || gotA[0] != "interpret" {
		t.Errorf("sender's subscriber got %q, want [interpret] once (its echo dropped)", gotA)
	}
	if len(gotB) != 1 || gotB[0] != "interpret" {
		t.Errorf("other node's subscriber got %q, want [interpret]", gotB)
	}
	if tag := b.Tag("x"); tag == msg || len(tag) < 3 {
		t.Errorf("Tag = %q: relays must have different origins", tag)
	}
}

func TestParseTokenNotice(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in      string
		org, id string
		ok      bool
	}{
		{inkform.TokenNotice("org1", "tok1"), "org1", "tok1", true},
		{"org1", "", "", false},
		{"/tok1", "", "tok1", false},
		{"org1/", "org1", "", false},
	} {
		org, id, ok := inkform.ParseTokenNotice(tc.in)
		if ok != tc.ok || (ok && (org != tc.org || id != tc.id)) {
			t.Errorf("ParseTokenNotice(%q) = %q, %q, %v; want %q, %q, %v", tc.in, org, id, ok, tc.org, tc.id, tc.ok)
		}
	}
}

// TestNotifyRelayRunLogsOnce runs a transport whose connection fails three
// times, then holds, then fails again: each outage is logged once when it
// starts and once when it ends, not per attempt.
func TestNotifyRelayRunLogsOnce(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, nil))
	r := inkform.NewNotifyRelay()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var attempts atomic.Int32
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.Run(ctx, logger, "test", func(ctx context.Context, connected func()) error {
			switch attempts.Add(1) {
			case 1, 2, 3:
				return errors.New("refused")
			case 4:
				connected()
				if !r.Connected() {
					t.Error("not Connected after connected()")
				}
				return errors.New("dropped")
			case 5, 6:
				return errors.New("refused again")
			}
			connected()
			<-ctx.Done()
			return ctx.Err()
		})
	}()
	for deadline := time.Now().Add(10 * time.Second); !r.Connected() || attempts.Load() < 7; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after %d attempts, not connected", attempts.Load())
		}
	}
	cancel()
	<-done
	logs := buf.String()
	if lost, back := strings.Count(logs, "connection lost"), strings.Count(logs, "reconnected"); lost != 2 || back != 2 {
		t.Errorf("%d attempts logged %d losses and %d reconnections, want 2 and 2:\n%s", attempts.Load(), lost, back, logs)
	}
	if r.Connected() {
		t.Error("Connected after Run returned")
	}
}
