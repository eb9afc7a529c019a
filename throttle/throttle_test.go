package throttle

import (
	"net/netip"
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
