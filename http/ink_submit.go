package http

import (
	"net/http"
	"strings"

	"github.com/inkform/inkform"
)

// handleInkSubmit answers POST /api/v1/ink: one transmission from a pen
// gateway, as InkML or JSON strokes. The ink is stored durably before the
// answer (202); interpretation runs later. The Idempotency-Key header names
// the submission, so a gateway may resend after a timeout without creating
// a second document.
func (s *Server) handleInkSubmit(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	// The media type is checked before the body is read: a wrong one is
	// refused without reading megabytes.
	mt, err := mediaType(r)
	if err != nil {
		return err
	}
	if mt, err = inkMediaType(mt); err != nil {
		return err
	}
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	release, err := s.reserveInk(r)
	if err != nil {
		return err
	}
	defer release()
	body, err := readBody(w, r, s.bodyLimit())
	if err != nil {
		return err
	}
	sub, err := s.parseInk(mt, body)
	if err != nil {
		return err
	}
	if key != "" {
		if sub.SubmissionID != "" && sub.SubmissionID != key {
			e := inkform.Errorf(inkform.EUNPROCESSABLE,
				"the Idempotency-Key header %q and the body's submission ID %q differ", key, sub.SubmissionID)
			e.Problems = []inkform.Problem{{Path: "submissionId", Message: "differs from the Idempotency-Key header"}}
			return e
		}
		sub.SubmissionID = key
	}
	sub.ReceivedAt = s.now().UTC()
	res, err := s.Capture.CaptureInk(r.Context(), org, sub)
	if err != nil {
		return err
	}
	return writeCaptureResult(w, res)
}

// idempotencyKey returns the Idempotency-Key header, checked against the
// length a submission ID may have. The header is a structured-field string
// in the IETF draft; quotes are accepted and removed.
func idempotencyKey(r *http.Request) (string, error) {
	key := strings.TrimSpace(r.Header.Get("Idempotency-Key"))
	if len(key) >= 2 && key[0] == '"' && key[len(key)-1] == '"' {
		key = key[1 : len(key)-1]
	}
	if key == "" {
		return "", nil
	}
	if msg := inkform.ClientIDProblem("Idempotency-Key header", key, inkform.MaxSubmissionIDLength); msg != "" {
		return "", inkform.Errorf(inkform.EINVALID, "%s", msg)
	}
	return key, nil
}
