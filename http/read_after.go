package http

import (
	"net/http"
	"strconv"
	"time"

	"github.com/inkform/inkform"
)

// Read-your-writes across nodes. With a read replica (serve --read-db),
// lists and finders read from it, and it lags. A request that changes
// something reads from the primary throughout, and its answer carries the
// time it was done, as a cookie (browsers, the web console) and a header
// (API clients echo it); a later request that brings it back reads from the
// replica only once the replica holds every commit made before that time
// (sqlstore's replica), whichever node it lands on.
const (
	readAfterCookie = "inkform_read_after"
	// ReadAfterHeader carries the time of a client's last write: set on
	// the answer to every successful write, and read from requests, as
	// Unix microseconds.
	ReadAfterHeader = "Inkform-Read-After"
	// readAfterWindow bounds how long a write's time is kept and honoured:
	// a replica further behind than this is not read at all (the store's
	// ReplicaMaxLag is shorter), so older times change nothing.
	readAfterWindow = time.Minute
)

// readYourWrites puts the client's last write into the request's context
// (inkform.WithReadAfter), sends writing requests' reads to the primary,
// and stamps successful writes' answers.
func (s *Server) readYourWrites(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if t, ok := s.clientWrote(r); ok {
			ctx = inkform.WithReadAfter(ctx, t)
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		secure := r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
		next.ServeHTTP(&stampWriter{ResponseWriter: w, now: s.now, secure: secure}, r.WithContext(inkform.WithPrimaryReads(ctx)))
	})
}

// clientWrote returns the time of the client's last write, from the header
// or the cookie, when it is recent. A time ahead of this node's clock is
// taken as now: a client cannot keep its reads on the primary for longer.
func (s *Server) clientWrote(r *http.Request) (time.Time, bool) {
	v := r.Header.Get(ReadAfterHeader)
	if v == "" {
		if c, err := r.Cookie(readAfterCookie); err == nil {
			v = c.Value
		}
	}
	if v == "" {
		return time.Time{}, false
	}
	us, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	now := s.now()
	t := time.UnixMicro(us)
	if t.After(now) {
		t = now
	}
	if now.Sub(t) > readAfterWindow {
		return time.Time{}, false
	}
	return t, true
}

// stampWriter adds the time of a successful write to its answer, taken
// when the answer starts: every commit of the request is done by then.
type stampWriter struct {
	http.ResponseWriter
	now     func() time.Time
	secure  bool
	written bool
}

func (w *stampWriter) WriteHeader(code int) {
	if !w.written {
		w.written = true
		if code < 400 {
			v := strconv.FormatInt(w.now().UnixMicro(), 10)
			w.Header().Set(ReadAfterHeader, v)
			http.SetCookie(w.ResponseWriter, &http.Cookie{Name: readAfterCookie, Value: v, Path: "/",
				MaxAge: int(readAfterWindow / time.Second), HttpOnly: true, Secure: w.secure, SameSite: http.SameSiteLaxMode})
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *stampWriter) Write(b []byte) (int, error) {
	if !w.written {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *stampWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
