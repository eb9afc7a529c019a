package inkform

import (
	"context"
	"time"
)

// A read replica lags behind the primary database. A person who has just
// changed something must still read their change (read-your-writes), even
// when the next request lands on another node. The HTTP layer learns when a
// client last wrote (a cookie or header it set on that write's answer) and
// puts that time in the request's context; a store with a replica reads
// from it only once it holds every commit made before that time, and from
// the primary until then.

type readAfterKey struct{}

// primaryReads is later than any commit: reads in such a context always go
// to the primary.
var primaryReads = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// WithReadAfter returns a context whose reads must see every write
// committed before t.
func WithReadAfter(ctx context.Context, t time.Time) context.Context {
	if prev, ok := ReadAfter(ctx); ok && prev.After(t) {
		return ctx // the stricter demand stands
	}
	return context.WithValue(ctx, readAfterKey{}, t)
}

// WithPrimaryReads returns a context whose reads must see every committed
// write, its own included: a request that writes reads from the primary.
func WithPrimaryReads(ctx context.Context) context.Context {
	return context.WithValue(ctx, readAfterKey{}, primaryReads)
}

// ReadAfter returns the time before which every committed write must be
// visible to reads in ctx, and whether ctx demands one at all.
func ReadAfter(ctx context.Context) (time.Time, bool) {
	t, ok := ctx.Value(readAfterKey{}).(time.Time)
	return t, ok
}
