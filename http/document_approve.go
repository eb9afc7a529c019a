package http

import (
	"net/http"

	"github.com/inkform/inkform"
)

// handleDocumentApprove answers POST /api/v1/documents/{id}/approve: a
// verifier confirms the document, which becomes validated
// (inkform.VerificationService.Approve). It is refused (422 naming each
// field) while a required field is empty, a value breaks a rule, a
// signature or drawing is true without ink in its box (a document stored
// before that rule) or a double-entry field waits for a second entry or a
// decision; 409 while another person holds the document's lease.
// Approving a validated document again changes nothing.
func (s *Server) handleDocumentApprove(w http.ResponseWriter, r *http.Request) error {
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
	doc, err := s.Verification.Approve(r.Context(), org, id, principalID(r))
	if err != nil {
		return err
	}
	s.auditChange(r, inkform.AuditDocumentApprove, "document", id, "")
	return writeJSON(w, http.StatusOK, doc)
}
