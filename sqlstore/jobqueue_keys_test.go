package sqlstore

import (
	"testing"
	"time"
)

// TestKeyGate checks when claims look for due jobs while limit keys are
// full: not within keysEvery of a look that found only jobs of keys that
// are all still full; at once when one of them frees up, when this node
// enqueued a job of another key or of none, after an operator's retry, and
// when the clock went back.
func TestKeyGate(t *testing.T) {
	t.Parallel()
	var g keyGate
	t0 := time.Unix(1_700_000_000, 0)
	type step struct {
		name   string
		do     func() // before the claim; nil for none
		at     time.Duration
		queue  string
		full   []string // keys full when the claim starts
		skip   bool
		after  []string // keys full when the claim commits, when it looks
		taking bool     // it took as many as it could
	}
	steps := []step{
		{name: "first claim", queue: "d", full: []string{"h1"}, after: []string{"h1"}},
		{name: "right after", at: time.Millisecond, queue: "d", full: []string{"h1"}, skip: true},
		{name: "another queue", at: time.Millisecond, queue: "e", full: []string{"h1"}, after: []string{"h1"}},
		{name: "more full keys", at: time.Millisecond, queue: "d", full: []string{"h1", "h2"}, skip: true},
		{name: "the key freed up", at: 2 * time.Millisecond, queue: "d", full: nil, after: []string{"h1"}},
		{name: "full again", at: 3 * time.Millisecond, queue: "d", full: []string{"h1"}, skip: true},
		{name: "a job of the full key enqueued", do: func() { g.enqueued("d", "h1") }, at: 3 * time.Millisecond, queue: "d", full: []string{"h1"}, skip: true},
		{name: "another key's job enqueued here", do: func() { g.enqueued("d", "h3") }, at: 4 * time.Millisecond, queue: "d", full: []string{"h1"}, after: []string{"h1"}},
		{name: "a job without a key", do: func() { g.enqueued("d", "") }, at: 5 * time.Millisecond, queue: "d", full: []string{"h1"}, after: []string{"h1", "h3"}, taking: true},
		{name: "a claim that took all it could", at: 6 * time.Millisecond, queue: "d", full: []string{"h1", "h3"}, after: []string{"h1", "h3"}},
		{name: "just before keysEvery", at: 6*time.Millisecond + keysEvery - time.Nanosecond, queue: "d", full: []string{"h1", "h3"}, skip: true},
		{name: "keysEvery later", at: 6*time.Millisecond + keysEvery, queue: "d", full: []string{"h1", "h3"}, after: []string{"h1", "h3"}},
		{name: "an operator's retry", do: g.reset, at: 7*time.Millisecond + keysEvery, queue: "d", full: []string{"h1", "h3"}, after: []string{"h1"}},
		{name: "clock went back", at: time.Millisecond, queue: "d", full: []string{"h1"}, after: nil},
		{name: "no key full after: no pause", at: 2 * time.Millisecond, queue: "d", full: []string{"h1"}},
	}
	for _, s := range steps {
		if s.do != nil {
			s.do()
		}
		now := t0.Add(s.at)
		if got := g.skip(s.queue, now, s.full); got != s.skip {
			t.Errorf("%s: skip = %v, want %v", s.name, got, s.skip)
		}
		if !s.skip {
			g.looked(s.queue, now, s.after, s.taking)
		}
	}
}
