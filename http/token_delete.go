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
	if err := inkform.RevokeToken(r.Context(), s.Tokens, s.Notifier, s.Logger, org, id); err != nil {
		return err
	}
	// Without a Notifier this node hears no notice; with one it does, and
	// forgetting twice is harmless.
	s.tokens.forget(org, id)
	s.auditChange(r, inkform.AuditTokenDelete, "token", id, "")
	w.WriteHeader(http.StatusNoContent)
	return nil
}
