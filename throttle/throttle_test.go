package throttle

import (
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_000_000, 0)
	l := New(3, time.Second, 0, func() time.Time { return now })
	for i := range 3 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("refused before failure %d", i+1)
		}
		l.Fail("a")
	}
	ok, wait := l.Allow("a")
	if ok || wait != time.Second {
		t.Fatalf("after the burst: ok %v wait %v, want refused for 1s", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another key is refused")
	}
	now = now.Add(500 * time.Millisecond)
	if ok, wait := l.Allow("a"); ok || wait != 500*time.Millisecond {
		t.Fatalf("half refilled: ok %v wait %v", ok, wait)
	}
	now = now.Add(500 * time.Millisecond)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("refilled key is refused")
	}
	l.Fail("a")
	if ok, _ := l.Allow("a"); ok {
		t.Fatal("one refill allowed two failures")
	}
}

func TestLimiterBoundsKeys(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_000_000, 0)
	l := New(1, time.Hour, 10, func() time.Time { return now })
	for i := range 1000 {
		l.Fail(string(rune('a' + i)))
	}
	if n := len(l.buckets); n > 10 {
		t.Fatalf("tracks %d keys, want at most 10", n)
	}
}

func TestAddressKey(t *testing.T) {
	t.Parallel()
	tests := []struct{ addr, want string }{
		{"192.0.2.7", "192.0.2.7"},
		{"::ffff:192.0.2.7", "192.0.2.7"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"},
	}
	for _, tt := range tests {
		if got := AddressKey(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("AddressKey(%s) = %s, want %s", tt.addr, got, tt.want)
		}
	}
}

// TestLimiterTake: Take spends before the attempt, so parallel attempts
// get at most the burst between them; Refund gives back what a success
// spent, never beyond the burst.
func TestLimiterTake(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_000_000, 0)
	l := New(3, time.Second, 0, func() time.Time { return now })
	var taken atomic.Int32
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if ok, _ := l.Take("a"); ok {
				taken.Add(1)
			}
		})
	}
	wg.Wait()
	if n := taken.Load(); n != 3 {
		t.Fatalf("50 parallel takes got %d, want the burst of 3", n)
	}
	if ok, wait := l.Take("a"); ok || wait != time.Second {
		t.Fatalf("after the burst: ok %v wait %v, want refused for 1s", ok, wait)
	}
	if ok, _ := l.Allow("a"); ok {
		t.Fatal("Allow after the burst was taken")
	}
	l.Refund("a")
	if ok, _ := l.Take("a"); !ok {
		t.Fatal("a refunded failure cannot be taken again")
	}
	for range 10 {
		l.Refund("b") // a key never taken: nothing to give back
		l.Refund("a")
	}
	for i := range 3 {
		if ok, _ := l.Take("a"); !ok {
			t.Fatalf("take %d after refunds refused", i+1)
		}
	}
	if ok, _ := l.Take("a"); ok {
		t.Fatal("refunds raised the bucket above the burst")
	}
}
