package http

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/inkform/inkform"
)

// readyTimeout bounds the readiness check, so a hung database makes the
// node unready instead of hanging the load balancer's probe.
const readyTimeout = 2 * time.Second

// handleReadyz answers GET /readyz: 200 while the node should get traffic,
// 503 once Drain was called or while the Ready check fails (with the
// check's own message when its error has a code).
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) error {
	if s.draining.Load() {
		return inkform.Errorf(inkform.EUNAVAILABLE, "the server is draining and takes no new traffic")
	}
	if s.Ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		if err := s.Ready(ctx); err != nil {
			// The cause (a DSN, a host name) stays in the log; an error
			// with a code carries a message meant to be shown, such as
			// which cluster settings differ, and the answer says it.
			s.Logger.LogAttrs(r.Context(), slog.LevelWarn, "not ready",
				slog.String("request_id", requestIDFrom(r.Context())),
				slog.String("error", err.Error()))
			reason := "a dependency is unavailable"
			if errors.As(err, new(*inkform.Error)) {
				reason = inkform.ErrorMessage(err)
			}
			return inkform.Errorf(inkform.EUNAVAILABLE, "the server is not ready: %s", reason)
		}
	}
	return writeJSON(w, http.StatusOK, healthResponse{Status: "ready", Version: s.Version})
}

// ReadinessHandler returns GET /readyz alone, for a node that serves no API
// (a worker node's admin port), so every node answers readiness with the
// same check, timeout and responses. Drain makes it answer 503 as it does
// the API's. Of the Server's fields it uses Ready, Logger and Version.
func (s *Server) ReadinessHandler() http.Handler {
	s.init()
	return s.endpoint(route{handler: s.handleReadyz})
}
