package http

import (
	"net/http"

	"github.com/inkform/inkform"
)

// handleTokenDelete answers DELETE /api/v1/tokens/{id}: the token is
// revoked. This node forgets it at once, and so do the others when the
// Notifier reaches them; otherwise they refuse it when their cached lookup
// expires (Server.TokenCacheTTL).
func (s *Server) handleTokenDelete(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Tokens.DeleteToken(r.Context(), org, id); err != nil {
		return err
	}
	s.tokens.forget(org, id)
	if s.Notifier != nil {
		if err := s.Notifier.Publish(r.Context(), inkform.TopicTokens, inkform.TokenNotice(org, id)); err != nil {
			// Revoked all the same: other nodes' caches expire.
			s.Logger.WarnContext(r.Context(), "tell other nodes of a revoked token", "token", id, "err", err)
		}
	}
	s.auditChange(r, inkform.AuditTokenDelete, "token", id, "")
	w.WriteHeader(http.StatusNoContent)
	return nil
}
