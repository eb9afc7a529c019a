package sqlstore

import (
	"testing"
	"time"
)

// TestOrgGate checks when claims list the orgs with available jobs: after a
// listing that found one org or none, not again for orgsEvery, unless this
// node enqueued another org's job (a second one, after a listing that found
// none), an operator retried a job, or the clock went back; after a listing
// that found several, at every claim.
func TestOrgGate(t *testing.T) {
	t.Parallel()
	var g orgGate
	t0 := time.Unix(1_700_000_000, 0)
	type step struct {
		name   string
		do     func() // before the claim; nil for none
		at     time.Duration
		queue  string
		skip   bool
		listed []string // what the claim's listing found, when it lists
	}
	steps := []step{
		{name: "first claim", at: 0, queue: "q", skip: false, listed: []string{"a"}},
		{name: "right after", at: time.Millisecond, queue: "q", skip: true},
		{name: "another queue", at: time.Millisecond, queue: "r", skip: false, listed: nil},
		{name: "the same org enqueued", do: func() { g.enqueued("q", "a") }, at: 2 * time.Millisecond, queue: "q", skip: true},
		{name: "the empty queue gets a job here", do: func() { g.enqueued("r", "a") }, at: 2 * time.Millisecond, queue: "r", skip: true},
		{name: "and another org's", do: func() { g.enqueued("r", "b") }, at: 2 * time.Millisecond, queue: "r", skip: false, listed: []string{"a", "b"}},
		{name: "another org enqueued here", do: func() { g.enqueued("q", "b") }, at: 3 * time.Millisecond, queue: "q", skip: false, listed: []string{"a", "b"}},
		{name: "two orgs: list again", at: 4 * time.Millisecond, queue: "q", skip: false, listed: []string{"b"}},
		{name: "one org again", at: 5 * time.Millisecond, queue: "q", skip: true},
		{name: "just before orgsEvery", at: 4*time.Millisecond + orgsEvery - time.Nanosecond, queue: "q", skip: true},
		{name: "orgsEvery later", at: 4*time.Millisecond + orgsEvery, queue: "q", skip: false, listed: []string{"b"}},
		{name: "an operator's retry", do: g.reset, at: 5*time.Millisecond + orgsEvery, queue: "q", skip: false, listed: []string{"b"}},
		{name: "clock went back", at: time.Millisecond, queue: "q", skip: false, listed: []string{"b"}},
	}
	for _, s := range steps {
		if s.do != nil {
			s.do()
		}
		now := t0.Add(s.at)
		if got := g.skip(s.queue, now); got != s.skip {
			t.Errorf("%s: skip = %v, want %v", s.name, got, s.skip)
		}
		if !s.skip {
			g.listed(s.queue, now, s.listed)
		}
	}
}
