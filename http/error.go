package http

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/inkform/inkform"
)

// ProblemTypeBase prefixes the error code in a problem's "type" URI.
const ProblemTypeBase = "https://inkform.dev/problems/"

// Codes that exist only at the HTTP layer: the router's answers for requests
// that match no route. They have no inkform.E* counterpart because no service
// can return them.
const (
	codeMethodNotAllowed = "method_not_allowed"
)

// retryAfterSeconds is sent with every 503: long enough for a draining node
// to be taken out of the load balancer, short enough for a pen gateway to
// retry soon.
const retryAfterSeconds = "5"

// Problem is an RFC 9457 problem details object, the body of every error
// response (Content-Type application/problem+json).
type Problem struct {
	Type     string            `json:"type"`
	Title    string            `json:"title"`
	Status   int               `json:"status"`
	Detail   string            `json:"detail"`
	Instance string            `json:"instance"`
	Problems []inkform.Problem `json:"problems,omitempty"`
}

// StatusCode returns the HTTP status of an error code. It is the only
// mapping from inkform codes to status codes; an unknown code is a bug and
// counts as internal.
func StatusCode(code string) int {
	switch code {
	case inkform.EINVALID:
		return http.StatusBadRequest
	case inkform.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case inkform.EFORBIDDEN:
		return http.StatusForbidden
	case inkform.ENOTFOUND:
		return http.StatusNotFound
	case codeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case inkform.ECONFLICT:
		return http.StatusConflict
	case inkform.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case inkform.EUNSUPPORTED:
		return http.StatusUnsupportedMediaType
	case inkform.EUNPROCESSABLE:
		return http.StatusUnprocessableEntity
	case inkform.ETOOMANY:
		return http.StatusTooManyRequests
	case inkform.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Error writes err as a problem response. Internal errors are logged with
// the request ID and shown to the caller only as "Internal error.", because
// their text may hold SQL, file paths or other internals.
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	code := inkform.ErrorCode(err)
	status := StatusCode(code)
	detail := inkform.ErrorMessage(err)
	var e *inkform.Error
	switch {
	case status == http.StatusInternalServerError:
		code, detail = inkform.EINTERNAL, "Internal error."
		s.logInternal(r, err)
	case status == http.StatusServiceUnavailable && errors.As(err, &e) && error(e) != err:
		// An outage of a backing service (inkform.Unavailable): the
		// caller sees only the message; the operator needs the cause.
		s.Logger.LogAttrs(r.Context(), slog.LevelWarn, "backing service unavailable",
			slog.String("request_id", requestIDFrom(r.Context())),
			slog.String("path", r.URL.Path),
			slog.String("error", err.Error()))
	}

	h := w.Header()
	switch status {
	case http.StatusUnauthorized:
		h.Set("WWW-Authenticate", `Bearer realm="inkform"`)
	case http.StatusServiceUnavailable, http.StatusTooManyRequests:
		if d := inkform.ErrorRetryAfter(err); d > 0 {
			h.Set("Retry-After", strconv.Itoa(int(math.Ceil(d.Seconds()))))
		} else if h.Get("Retry-After") == "" {
			h.Set("Retry-After", retryAfterSeconds)
		}
	}
	writeProblem(w, Problem{
		Type:     ProblemTypeBase + code,
		Title:    http.StatusText(status),
		Status:   status,
		Detail:   detail,
		Instance: r.URL.Path,
		Problems: inkform.ErrorProblems(err),
	})
}

// logInternal records the real cause of a 500. A request the client gave up
// on is not an outage, so it is logged quietly.
func (s *Server) logInternal(r *http.Request, err error) {
	level := slog.LevelError
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		level = slog.LevelInfo
	}
	s.Logger.LogAttrs(r.Context(), level, "internal error",
		slog.String("request_id", requestIDFrom(r.Context())),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.String("error", err.Error()),
	)
}

// writeProblem writes p with its status. Encoding a Problem cannot fail, so
// there is no error to return.
func writeProblem(w http.ResponseWriter, p Problem) {
	body, _ := json.Marshal(p)
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	h.Del("Content-Length")
	w.WriteHeader(p.Status)
	_, _ = w.Write(append(body, '\n'))
}

// router sends matched requests to the ServeMux and turns the mux's own
// plain-text 404 and 405 answers into problem responses (keeping Allow).
type router struct {
	mux *http.ServeMux
	srv *Server
}

// ServeHTTP implements http.Handler.
func (rt *router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h, pattern := rt.mux.Handler(r)
	if info := requestInfoFrom(r.Context()); info != nil && pattern != "" {
		info.route = pattern
	}
	if pattern != "" {
		rt.mux.ServeHTTP(w, r)
		return
	}
	h.ServeHTTP(&unmatchedWriter{ResponseWriter: w, srv: rt.srv, r: r}, r)
}

// unmatchedWriter replaces an error status written by the mux's fallback
// handlers with a problem, and drops their text body.
type unmatchedWriter struct {
	http.ResponseWriter
	srv      *Server
	r        *http.Request
	replaced bool
}

// WriteHeader implements http.ResponseWriter.
func (u *unmatchedWriter) WriteHeader(status int) {
	if u.replaced {
		return
	}
	switch status {
	case http.StatusNotFound:
		u.replaced = true
		u.srv.Error(u.ResponseWriter, u.r, inkform.Errorf(inkform.ENOTFOUND, "no route for %s %s", u.r.Method, u.r.URL.Path))
	case http.StatusMethodNotAllowed:
		u.replaced = true
		u.srv.Error(u.ResponseWriter, u.r, inkform.Errorf(codeMethodNotAllowed,
			"%s is not allowed on %s; use %s", u.r.Method, u.r.URL.Path, orList(u.Header().Get("Allow"))))
	default:
		u.ResponseWriter.WriteHeader(status)
	}
}

// Write implements http.ResponseWriter.
func (u *unmatchedWriter) Write(b []byte) (int, error) {
	if u.replaced {
		return len(b), nil
	}
	return u.ResponseWriter.Write(b)
}

// orList turns an Allow header value "GET, HEAD, POST" into "GET, HEAD or
// POST" for a message.
func orList(allow string) string {
	methods := strings.Split(allow, ", ")
	if len(methods) < 2 {
		return allow
	}
	return strings.Join(methods[:len(methods)-1], ", ") + " or " + methods[len(methods)-1]
}
