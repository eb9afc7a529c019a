package inkform

import (
	"testing"
	"time"
)

// TestNewIDSortsWithinAMillisecond checks that IDs made one after the
// other within one millisecond sort in that order (the sub-millisecond
// fraction after the timestamp), whatever their random tails: the audit
// log lists events in ID order.
func TestNewIDSortsWithinAMillisecond(t *testing.T) {
	t.Parallel()
	base := time.Date(2026, 12, 4, 19, 0, 0, 0, time.UTC)
	offsets := []time.Duration{0, time.Microsecond, 250 * time.Microsecond, 999 * time.Microsecond, time.Millisecond}
	for i := 1; i < len(offsets); i++ {
		for range 50 {
			before, after := newIDAt(base.Add(offsets[i-1])), newIDAt(base.Add(offsets[i]))
			if !ValidID(after) || after[14] != '7' {
				t.Fatalf("newIDAt = %q is not a valid version-7 ID", after)
			}
			if before >= after {
				t.Fatalf("the ID at +%s (%s) does not sort before the one at +%s (%s)", offsets[i-1], before, offsets[i], after)
			}
		}
	}
}
