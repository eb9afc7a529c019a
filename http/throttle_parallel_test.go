package http

import (
	"context"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// slowTokens counts token checks and holds each a moment, so that
// parallel requests overlap as an attacker's would.
type slowTokens struct {
	inkform.TokenService
	checks *atomic.Int32
}

func (s slowTokens) Authenticate(ctx context.Context, secret string) (*inkform.Token, error) {
	s.checks.Add(1)
	time.Sleep(100 * time.Millisecond)
	return s.TokenService.Authenticate(ctx, secret)
}

// TestBadTokensThrottledConcurrently: bad tokens sent in parallel from one
// address get no more checks between them than the address's budget; a
// failure is spent before the check, not recorded after it.
func TestBadTokensThrottledConcurrently(t *testing.T) {
	t.Parallel()
	var checks atomic.Int32
	e := newEnv(t, func(s *Server) { s.Tokens = slowTokens{s.Tokens, &checks} })
	const parallel = 60
	codes := make([]int, parallel)
	var wg sync.WaitGroup
	for i := range parallel {
		wg.Go(func() {
			r := httptest.NewRequest("GET", "/api/v1/forms", nil)
			r.RemoteAddr = "198.51.100.7:4000"
			r.Header.Set("Authorization", "Bearer "+inkform.TokenPrefix+"guess")
			w := httptest.NewRecorder()
			e.h.ServeHTTP(w, r)
			codes[i] = w.Code
		})
	}
	wg.Wait()
	if n := checks.Load(); n > authFailureBurst {
		t.Errorf("%d parallel bad tokens were checked, want at most the burst of %d", n, authFailureBurst)
	}
	refused := 0
	for _, c := range codes {
		if c == 429 {
			refused++
		}
	}
	if refused < parallel-authFailureBurst {
		t.Errorf("%d of %d parallel bad tokens refused, want at least %d: %v", refused, parallel, parallel-authFailureBurst, codes)
	}
}
