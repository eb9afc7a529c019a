package http

import (
	"net/http"

	"github.com/inkform/inkform"
)

// tokenListResponse is the body of GET /api/v1/tokens.
type tokenListResponse struct {
	Tokens []*inkform.Token `json:"tokens"`
}

// handleTokenList answers GET /api/v1/tokens with the org's API tokens:
// name, role and hint, never the secret (which is not stored).
func (s *Server) handleTokenList(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	tokens, err := s.Tokens.ListTokens(r.Context(), org)
	if err != nil {
		return err
	}
	if tokens == nil {
		tokens = []*inkform.Token{}
	}
	return writeJSON(w, http.StatusOK, tokenListResponse{Tokens: tokens})
}
