// Package fake holds in-memory implementations of the root package's
// service interfaces for the unit tests of the packages that use them
// (http, queue, deliver, …). Each fake keeps the promises its interface's
// doc comments make — tenant isolation, ENOTFOUND, ordering, cursors — and
// is held to them by the same inkformtest suites that sqlstore passes on
// every database, so a test over a fake runs against the real contract.
//
// They are not stores: nothing outlives the process and fakes share no
// transactions. Where a contract needs the whole store (capturing ink into
// documents, say), the fake says what it leaves out.
//
// A fake's zero value is ready to use unless its doc names a field it
// needs. Every fake has a Hook through which a test sees the calls that
// reach it or makes one fail.
package fake

import (
	"sync"
	"time"

	"github.com/inkform/inkform"
)

// Hook, when set on a fake, is called first by every method of the fake's
// interfaces with the method's name and its arguments after the context.
// An error it returns becomes the method's result and the method changes
// nothing. The fake calls it without holding its lock, so a hook may call
// the fake. Set it before the fake is shared between goroutines.
type Hook func(method string, args ...any) error

// call runs h when set.
func (h Hook) call(method string, args ...any) error {
	if h == nil {
		return nil
	}
	return h(method, args...)
}

// FailOn returns a Hook that makes method fail with err and lets every
// other call through.
func FailOn(method string, err error) Hook {
	return func(m string, _ ...any) error {
		if m == method {
			return err
		}
		return nil
	}
}

// Call is one method call a Recorder saw.
type Call struct {
	Method string
	Args   []any
}

// Recorder remembers the calls it sees; its Hook method is a Hook.
type Recorder struct {
	mu    sync.Mutex
	calls []Call
}

// Hook records the call and lets it through.
func (r *Recorder) Hook(method string, args ...any) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, Call{Method: method, Args: args})
	return nil
}

// Calls returns the recorded calls of method, or every call for "", oldest
// first.
func (r *Recorder) Calls(method string) []Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Call
	for _, c := range r.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Last returns the arguments of the latest call of method, or nil.
func (r *Recorder) Last(method string) []any {
	calls := r.Calls(method)
	if len(calls) == 0 {
		return nil
	}
	return calls[len(calls)-1].Args
}

// now is the current time as a database gives it back: UTC, to the
// microsecond.
func now() time.Time { return dbTime(time.Now()) }

// dbTime is t as a database gives it back; the zero time stays zero.
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// notFound is the ENOTFOUND error for a missing thing.
func notFound(what string) error { return inkform.Errorf(inkform.ENOTFOUND, "%s not found", what) }

// page cuts a list sorted by ID to limit items and returns the cursor of the
// next page ("" when nothing follows).
func page[T any](items []T, limit int, id func(T) string) ([]T, string) {
	if len(items) <= limit {
		return items, ""
	}
	items = items[:limit]
	return items, id(items[limit-1])
}
