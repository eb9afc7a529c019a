package ui

import (
	"fmt"
	"net/http"

	"github.com/inkform/inkform"
)

// handleTokenRevokeConfirm serves GET /tokens/{id}/revoke: what revoking
// the token means, with the button that does it.
func (s *Server) handleTokenRevokeConfirm(w http.ResponseWriter, r *http.Request, v *visit) error {
	list, err := s.Tokens.ListTokens(r.Context(), v.Org.ID)
	if err != nil {
		return fmt.Errorf("list tokens: %w", err)
	}
	id := r.PathValue("id")
	for _, t := range list {
		if t.ID == id {
			s.render(w, r, http.StatusOK, "token_revoke", &view{Title: "Revoke " + t.Name, Visit: v, CSRF: v.CSRF,
				Accounts: &accountsView{Token: t}})
			return nil
		}
	}
	s.problem(w, r, v, http.StatusNotFound, "Your organization has no such token; it may be revoked already.")
	return nil
}

// handleTokenRevoke serves POST /tokens/{id}/revoke: the token is deleted
// and every node told to drop it from its cache, as the API's DELETE does.
func (s *Server) handleTokenRevoke(w http.ResponseWriter, r *http.Request, v *visit) error {
	id := r.PathValue("id")
	err := inkform.RevokeToken(r.Context(), s.Tokens, s.Notifier, s.Logger, v.Org.ID, id)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		s.problem(w, r, v, http.StatusNotFound, "Your organization has no such token; it may be revoked already.")
		return nil
	} else if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	s.auditCommitted(r, v, inkform.AuditTokenDelete, inkform.AuditObject{Kind: "token", ID: id}, "")
	http.Redirect(w, r, "/tokens?revoked=1", http.StatusSeeOther)
	return nil
}
