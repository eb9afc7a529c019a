package sqlstore

import (
	"context"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

func TestParseWALPosition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"0/0", 0, true},
		{"16/B374D848", 0x16<<32 | 0xB374D848, true},
		{" 0/FFFFFFFF\n", 0xFFFFFFFF, true},
		{"1/0", 1 << 32, true},
		{"B374D848", 0, false},
		{"x/1", 0, false},
		{"1/100000000", 0, false},
	}
	for _, tt := range tests {
		got, err := parseWALPosition(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseWALPosition(%q) = %x, %v; want %x, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	// Positions order as numbers: 0/FFFFFFFF is before 1/0, though not as text.
	a, _ := parseWALPosition("0/FFFFFFFF")
	b, _ := parseWALPosition("1/0")
	if a >= b {
		t.Errorf("0/FFFFFFFF (%x) is not before 1/0 (%x)", a, b)
	}
}

// TestReplicaReason checks where reads go for each state of the replica
// as this node last saw it.
func TestReplicaReason(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 5, 7, 0, 0, 0, time.UTC)
	db := &DB{opts: Options{Now: func() time.Time { return now }}}
	ctx := context.Background()
	recent := inkform.WithReadAfter(ctx, now.Add(-500*time.Millisecond))
	old := inkform.WithReadAfter(ctx, now.Add(-5*time.Second))
	tests := []struct {
		name     string
		up       bool
		measured bool
		caughtUp time.Time // zero: never seen caught up
		ctx      context.Context
		want     string
	}{
		{"down", false, true, now, ctx, ReadReplicaDown},
		{"caught up", true, true, now.Add(-250 * time.Millisecond), ctx, ReadReplica},
		{"never seen caught up (stuck at its base backup)", true, true, time.Time{}, ctx, ReadReplicaLagging},
		{"not measurable (MySQL)", true, false, time.Time{}, ctx, ReadReplica},
		{"not measurable, after a write", true, false, time.Time{}, old, ReadAfterWrite},
		{"too far behind", true, true, now.Add(-time.Minute), ctx, ReadReplicaLagging},
		{"a write it may not hold (clock margin)", true, true, now.Add(-250 * time.Millisecond), recent, ReadAfterWrite},
		{"a write it holds", true, true, now.Add(-250 * time.Millisecond), old, ReadReplica},
	}
	for _, tt := range tests {
		r := &replica{db: db, maxLag: DefaultReplicaMaxLag, measured: tt.measured}
		r.up.Store(tt.up)
		if !tt.caughtUp.IsZero() {
			r.caughtUp.Store(micros(tt.caughtUp))
		}
		if got := r.choose(tt.ctx); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}
