package http

import (
	"net/http"
	"sync"
	"time"

	"github.com/inkform/inkform"
)

// Parsing ink holds more memory than the body it came from: the body, the
// parsed points and strokes, and the encoded copy that is stored. A
// request reserves inkParseFactor times its size from the budget for as
// long as it runs.
const (
	inkParseFactor = 16
	// DefaultInkMemory is the budget when Server.InkMemory is zero.
	DefaultInkMemory = 512 << 20
	// inkBusyRetry is the Retry-After of a submission refused for want of
	// memory: the requests holding it finish in well under a second.
	inkBusyRetry = time.Second
)

// byteBudget is a semaphore counted in bytes. It never waits: a request
// that does not fit is refused at once, so a burst of huge bodies cannot
// queue up goroutines each holding a connection.
type byteBudget struct {
	mu    sync.Mutex
	total int64
	used  int64
}

// acquire reserves n bytes and returns their release, or false when they
// do not fit. A request larger than the whole budget may run alone.
func (b *byteBudget) acquire(n int64) (func(), bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used > 0 && b.used+n > b.total {
		return nil, false
	}
	b.used += n
	return func() {
		b.mu.Lock()
		b.used -= n
		b.mu.Unlock()
	}, true
}

// reserveInk takes from the ink budget what a request's body may cost to
// parse: its declared length, or the body limit when the length is
// unknown or the body is compressed (it inflates up to the limit).
func (s *Server) reserveInk(r *http.Request) (func(), error) {
	size := s.bodyLimit()
	if r.ContentLength >= 0 && r.ContentLength < size && r.Header.Get("Content-Encoding") == "" {
		size = r.ContentLength
	}
	release, ok := s.inkBudget.acquire(size * inkParseFactor)
	if !ok {
		e := inkform.Errorf(inkform.EUNAVAILABLE, "the server is parsing as much ink as its memory allows; try again shortly")
		e.RetryAfter = inkBusyRetry
		return nil, e
	}
	return release, nil
}
