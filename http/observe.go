package http

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
)

// maxRequestIDLength bounds an incoming X-Request-Id; longer or odd values
// are replaced, so a client cannot stuff the logs.
const maxRequestIDLength = 128

// unmatchedRoute labels requests that matched no route in logs and metrics.
const unmatchedRoute = "unmatched"

// requestInfo is filled in while a request is served and read by the log
// line at its end. It is a pointer in the context because handlers further
// down work on copies of the *http.Request.
type requestInfo struct {
	id    string
	route string
	orgID string
}

type requestInfoKey struct{}

func requestInfoFrom(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(requestInfoKey{}).(*requestInfo)
	return info
}

// requestIDFrom returns the request's ID, or "" outside a request.
func requestIDFrom(ctx context.Context) string {
	if info := requestInfoFrom(ctx); info != nil {
		return info.id
	}
	return ""
}

// observe gives each request an ID (X-Request-Id in and out), then logs one
// line and feeds the metrics when it is done. Headers are never logged: the
// Authorization header holds a secret.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.now()
		info := &requestInfo{id: requestID(r.Header.Get("X-Request-Id")), route: unmatchedRoute}
		w.Header().Set("X-Request-Id", info.id)
		r = r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info))
		sw := &statusWriter{ResponseWriter: w}

		next.ServeHTTP(sw, r)

		status := sw.statusCode()
		elapsed := s.now().Sub(start)
		level := slog.LevelInfo
		switch {
		case status >= 500:
			level = slog.LevelWarn
		case info.route == "GET /healthz" || info.route == "GET /readyz":
			// Load balancers probe every few seconds; at Info those
			// lines would drown the ones that matter.
			level = slog.LevelDebug
		}
		s.Logger.LogAttrs(r.Context(), level, "request",
			slog.String("method", r.Method),
			slog.String("route", info.route),
			slog.Int("status", status),
			slog.Duration("duration", elapsed),
			slog.Int64("bytes", sw.bytes),
			slog.String("org", info.orgID),
			slog.String("request_id", info.id),
		)
		if s.Metrics != nil {
			s.Metrics.ObserveRequest(info.route, status, elapsed, sw.bytes)
		}
	})
}

// recoverPanics turns a handler panic into a logged 500 problem instead of
// a dropped connection. http.ErrAbortHandler is re-panicked: it is the
// standard way to abort a response on purpose.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.Error(w, r, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
		}()
		next.ServeHTTP(w, r)
	})
}

// requestID keeps a well-formed incoming ID (so a gateway's ID follows the
// request through the logs) and makes a new one otherwise.
func requestID(in string) string {
	if in != "" && len(in) <= maxRequestIDLength {
		ok := true
		for i := 0; i < len(in); i++ {
			c := in[i]
			if c <= ' ' || c > '~' {
				ok = false
				break
			}
		}
		if ok {
			return in
		}
	}
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

// WriteHeader implements http.ResponseWriter.
func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

// Write implements http.ResponseWriter.
func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) statusCode() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
