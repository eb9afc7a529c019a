package http

import (
	"fmt"
	"net/http"
)

// handleQuarantineReprocess answers POST /api/v1/quarantine/{id}/reprocess:
// once the missing form exists, the stored body is parsed again and
// captured as if it had just arrived (202, same body as POST /api/v1/ink).
// An address that is still unknown leaves the entry in place (422).
func (s *Server) handleQuarantineReprocess(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	entry, body, err := s.Quarantine.FindQuarantined(r.Context(), org, id)
	if err != nil {
		return err
	}
	mt, err := inkMediaType(entry.ContentType)
	if err != nil {
		// The body was accepted once under this type, so this is a
		// stored entry gone bad, not a client mistake.
		return fmt.Errorf("quarantined submission %s: %w", id, err)
	}
	sub, err := s.parseInk(mt, body)
	if err != nil {
		// Limits may have been lowered since the body was accepted; the
		// parser's own code (413, 400) says so.
		return err
	}
	if sub.SubmissionID == "" {
		sub.SubmissionID = entry.SubmissionID
	}
	// The pen wrote this ink when it first arrived; keep that time.
	sub.ReceivedAt = entry.ReceivedAt
	res, err := s.Quarantine.ReprocessQuarantined(r.Context(), org, id, sub)
	if err != nil {
		return err
	}
	return writeCaptureResult(w, res)
}
