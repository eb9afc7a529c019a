package http

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/inkform/inkform"
)

// documentUpdateRequest is the body of PATCH /api/v1/documents/{id}.
type documentUpdateRequest struct {
	Fields map[string]json.RawMessage `json:"fields"`
}

// errNoVerification is the answer of the verification routes on a server
// without the verification workflow.
func errNoVerification() error {
	return inkform.Errorf(inkform.EUNAVAILABLE, "verification is not available on this server")
}

// handleDocumentUpdate answers PATCH /api/v1/documents/{id}: a verifier
// sets field values through the verification workflow
// (inkform.VerificationService.Correct). Each value is checked against the
// field's type and rules; a value that breaks a rule is refused (422 naming
// every problem), so stored corrections are always valid. A signature or
// drawing may be set to false, or to true only where the document has ink
// in its box: a verifier accepts ink that is there, never invents it.
// Clearing a required field is allowed: approval refuses it later. Fields
// not named keep their values; a double-entry field's value is the
// caller's blind entry until a second person's agrees. 409 while another
// person holds the document's lease.
func (s *Server) handleDocumentUpdate(w http.ResponseWriter, r *http.Request) error {
	if s.Verification == nil {
		return errNoVerification()
	}
	org, err := orgID(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req documentUpdateRequest
	if err := decodeJSON(w, r, s.bodyLimit(), &req, true); err != nil {
		return err
	}
	if len(req.Fields) == 0 {
		return inkform.Errorf(inkform.EINVALID, `the body needs "fields" with at least one field`)
	}
	doc, err := s.Verification.Correct(r.Context(), org, id, principalID(r), req.Fields)
	if err != nil {
		return err
	}
	// Field names only: the audit log never holds values.
	s.auditChange(r, inkform.AuditDocumentUpdate, "document", id, "set "+strings.Join(slices.Sorted(maps.Keys(req.Fields)), ", "))
	return writeJSON(w, http.StatusOK, doc)
}

// principalName names the caller in status-change causes: the token or user
// ID, never a secret.
func principalName(r *http.Request) string {
	p := inkform.PrincipalFromContext(r.Context())
	switch {
	case p == nil:
		return "unknown"
	case p.UserID != "":
		return fmt.Sprintf("user %s", p.UserID)
	}
	return fmt.Sprintf("token %s", p.TokenID)
}

// principalID is the caller's user or token ID: the actor the verification
// workflow records in leases, entries and field history.
func principalID(r *http.Request) string {
	p := inkform.PrincipalFromContext(r.Context())
	switch {
	case p == nil:
		return "unknown"
	case p.UserID != "":
		return p.UserID
	}
	return p.TokenID
}
