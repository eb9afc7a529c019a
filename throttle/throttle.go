// Package throttle limits how often one key — a client address, an account
// — may fail at something, such as presenting a valid token or password.
// Each key has a bucket of Burst failures that refills at one per Every;
// a key whose bucket is empty is refused until it refills. Successes cost
// nothing, so a well-behaved client never notices the limiter. ClientAddr
// and AddressKey turn a request into the key of its client, for the JSON
// API's bad tokens and the web UI's sign-ins alike.
package throttle

import (
	"math"
	"net/netip"
	"sync"
	"time"
)

// DefaultMaxKeys bounds the keys a Limiter tracks when MaxKeys is zero:
// about 100 bytes each, so a flood of addresses costs at most ~10 MB.
const DefaultMaxKeys = 100_000

// Limiter counts failures per key. The zero value is not usable; use New.
type Limiter struct {
	burst   float64
	every   time.Duration
	maxKeys int
	now     func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time // when tokens was last brought up to date
}

// New returns a limiter that allows burst failures per key, refilled at
// one per every, tracking at most maxKeys keys (0: DefaultMaxKeys). now is
// the clock (nil: time.Now).
func New(burst int, every time.Duration, maxKeys int, now func() time.Time) *Limiter {
	if maxKeys <= 0 {
		maxKeys = DefaultMaxKeys
	}
	if now == nil {
		now = time.Now
	}
	return &Limiter{burst: float64(max(burst, 1)), every: every, maxKeys: maxKeys, now: now, buckets: map[string]*bucket{}}
}

// Allow reports whether key may try again; when it may not, wait is how
// long until it may.
func (l *Limiter) Allow(key string) (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		return true, 0
	}
	now := l.now()
	l.refill(b, now)
	if b.tokens >= 1 {
		return true, 0
	}
	return false, time.Duration(math.Ceil((1 - b.tokens) * float64(l.every)))
}

// Fail spends one of key's failures.
func (l *Limiter) Fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(key, l.now())
	b.tokens = max(b.tokens-1, 0)
}

// Take spends one of key's failures before the attempt it guards, when
// one is left: checking with Allow and recording with Fail afterwards lets
// parallel attempts all pass the check before any failure is recorded, so
// an attacker's burst would be as wide as his parallelism. With Take at
// most the burst's attempts run; the caller gives the failure back with
// Refund when the attempt did not fail. When none is left, Take spends
// nothing and wait is how long until one is.
func (l *Limiter) Take(key string) (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(key, l.now())
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration(math.Ceil((1 - b.tokens) * float64(l.every)))
}

// Refund gives back a failure that Take spent, for an attempt that turned
// out not to fail (successes cost nothing).
func (l *Limiter) Refund(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b := l.buckets[key]; b != nil {
		l.refill(b, l.now())
		b.tokens = min(b.tokens+1, l.burst)
	}
}

// bucket returns key's bucket brought up to now, making a full one (and
// room for it) when the key has none.
func (l *Limiter) bucket(key string, now time.Time) *bucket {
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= l.maxKeys {
			l.evict(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	l.refill(b, now)
	return b
}

func (l *Limiter) refill(b *bucket, now time.Time) {
	if d := now.Sub(b.at); d > 0 && l.every > 0 {
		b.tokens = min(l.burst, b.tokens+float64(d)/float64(l.every))
	}
	b.at = now
}

// evict makes room for a new key: buckets that have refilled say nothing
// any more and go first; if none has, an arbitrary one goes, which lets
// that key start afresh — the price of a bounded memory under a flood.
func (l *Limiter) evict(now time.Time) {
	for k, b := range l.buckets {
		l.refill(b, now)
		if b.tokens >= l.burst {
			delete(l.buckets, k)
		}
	}
	for k := range l.buckets {
		if len(l.buckets) < l.maxKeys {
			break
		}
		delete(l.buckets, k)
	}
}

// AddressKey returns the key of a client address: the address itself for
// IPv4, its /64 for IPv6 (one subscriber usually holds a whole /64, so
// counting single IPv6 addresses would let them rotate freely).
func AddressKey(a netip.Addr) string {
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
