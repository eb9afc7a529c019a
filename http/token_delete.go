package http

import (
	"net/http"

	"github.com/inkform/inkform"
)

// handleTokenDelete answers DELETE /api/v1/tokens/{id}: the token is
// revoked. This node forgets it at once; other nodes refuse it when their
// cached lookup expires (Server.TokenCacheTTL).
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
	s.auditChange(r, inkform.AuditTokenDelete, "token", id, "")
	w.WriteHeader(http.StatusNoContent)
	return nil
}
