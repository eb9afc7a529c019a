package http

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/inkform/inkform"
)

// maxTokenNameLength bounds a token's name, a label for people.
const maxTokenNameLength = 200

// tokenCreateRequest is the body of POST /api/v1/tokens.
type tokenCreateRequest struct {
	Role inkform.Role `json:"role"`
	Name string       `json:"name"`
}

// tokenCreateResponse is the answer to POST /api/v1/tokens: the only time
// the secret is shown.
type tokenCreateResponse struct {
	Token  *inkform.Token `json:"token"`
	Secret string         `json:"secret"`
}

// handleTokenCreate answers POST /api/v1/tokens: a new API token for the
// caller's org. The response must not be cached anywhere, since it holds
// the secret.
func (s *Server) handleTokenCreate(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	var req tokenCreateRequest
	if err := decodeJSON(w, r, smallBodyLimit, &req, true); err != nil {
		return err
	}
	req.Name = strings.TrimSpace(req.Name)
	var problems []inkform.Problem
	if !req.Role.Valid() {
		problems = append(problems, inkform.Problem{Path: "role", Message: fmt.Sprintf("must be one of %s", roleList())})
	}
	if req.Name == "" || len(req.Name) > maxTokenNameLength {
		problems = append(problems, inkform.Problem{Path: "name", Message: fmt.Sprintf("must be 1 to %d characters", maxTokenNameLength)})
	}
	if len(problems) > 0 {
		e := inkform.Errorf(inkform.EUNPROCESSABLE, "the token cannot be created; see problems")
		e.Problems = problems
		return e
	}
	tok, secret, err := s.Tokens.CreateToken(r.Context(), org, req.Role, req.Name)
	if err != nil {
		return err
	}
	s.auditChange(r, inkform.AuditTokenCreate, "token", tok.ID, "role "+string(tok.Role))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Location", "/api/v1/tokens/"+tok.ID)
	return writeJSON(w, http.StatusCreated, tokenCreateResponse{Token: tok, Secret: secret})
}

// roleList names the roles for messages: "admin, designer, …".
func roleList() string {
	roles := inkform.Roles()
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}
