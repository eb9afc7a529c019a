package sqlstore

import (
	"testing"
	"time"
)

// TestPromoteGate checks when claims look for retryable jobs to promote:
// the first claim of a queue, then once promoteEvery has passed, at once
// after this node made a job retryable, and after the clock went back.
func TestPromoteGate(t *testing.T) {
	t.Parallel()
	var g promoteGate
	t0 := time.Unix(1_700_000_000, 0)
	steps := []struct {
		name  string
		queue string
		at    time.Duration
		retry bool // retried() before the claim
		want  bool
	}{
		{"first claim", "interpret", 0, false, true},
		{"right after", "interpret", time.Millisecond, false, false},
		{"another queue", "deliver", time.Millisecond, false, true},
		{"a job made retryable here", "interpret", 2 * time.Millisecond, true, true},
		{"then not again", "interpret", 3 * time.Millisecond, false, false},
		{"the other queue sees it too", "deliver", 3 * time.Millisecond, false, true},
		{"just before promoteEvery", "interpret", 2*time.Millisecond + promoteEvery - time.Nanosecond, false, false},
		{"promoteEvery later", "interpret", 2*time.Millisecond + promoteEvery, false, true},
		{"clock went back", "interpret", time.Millisecond, false, true},
	}
	for _, s := range steps {
		if s.retry {
			g.retried()
		}
		if got := g.due(s.queue, t0.Add(s.at)); got != s.want {
			t.Errorf("%s: due = %v, want %v", s.name, got, s.want)
		}
	}
}
