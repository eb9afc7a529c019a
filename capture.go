package inkform

import (
	"context"
	"fmt"
	"time"
)

// CaptureResult is the answer to an ink submission: the documents it wrote
// to. It is stored with the submission ID so a resubmission gets it again.
type CaptureResult struct {
	Documents []CapturedDocument `json:"documents"`
	// Replayed is true when the submission ID was seen before and nothing
	// was stored this time.
	Replayed bool `json:"-"`
}

// CapturedDocument is one document an ink submission wrote to.
type CapturedDocument struct {
	ID    string `json:"id"`
	Form  string `json:"form"`
	Pages []int  `json:"pages"`
}

// DigitalSubmission is a form filled on a device: values, and ink for
// signature and drawing fields (in millimetres relative to the field's box).
// A signature or drawing is its ink, never a value true
// (FormTemplate.DigitalFields).
type DigitalSubmission struct {
	FormID       string
	SubmissionID string
	Values       map[string]any
	Ink          map[string][]Stroke
}

// QuarantinedSubmission is an ink submission kept because no form of the org
// has one of its page addresses. An admin re-processes it once the form
// exists; no pen data is lost.
type QuarantinedSubmission struct {
	ID           string    `json:"id"`
	OrgID        string    `json:"-"`
	PenID        string    `json:"pen"`
	SubmissionID string    `json:"submissionId,omitempty"`
	Addresses    []string  `json:"addresses"`
	Reason       string    `json:"reason"`
	ContentType  string    `json:"contentType"`
	Size         int       `json:"size"`
	ReceivedAt   time.Time `json:"receivedAt"`
}

// CaptureService stores submissions durably. A method returns only after
// what it stored is committed, together with the jobs that process it.
type CaptureService interface {
	// CaptureInk stores the ink of one submission. Each page address
	// resolves to a form page: copied pattern starts a new document per
	// submission, unique pattern adds to the printed copy's document. A
	// known submission ID with the same content returns the stored result
	// (Replayed); with other content it is ECONFLICT naming the ID, and
	// nothing is stored. When an address belongs to no form, the whole
	// submission is quarantined and EUNPROCESSABLE is returned naming the
	// address.
	CaptureInk(ctx context.Context, orgID string, sub *InkSubmission) (*CaptureResult, error)
	// SubmitDigital stores a digital submission as a new document after
	// checking every value against the form's rules (EUNPROCESSABLE
	// naming each problem). A known submission ID with the same content
	// returns the document it made, as it is now, with replayed true and
	// nothing stored; with other content it is ECONFLICT naming the ID.
	SubmitDigital(ctx context.Context, orgID string, sub *DigitalSubmission) (doc *Document, replayed bool, err error)
}

// QuarantineService lists and re-processes quarantined submissions.
type QuarantineService interface {
	ListQuarantine(ctx context.Context, orgID string) ([]*QuarantinedSubmission, error)
	// FindQuarantined returns the entry and its raw body.
	FindQuarantined(ctx context.Context, orgID, id string) (*QuarantinedSubmission, []byte, error)
	// ReprocessQuarantined captures sub (the entry's body, parsed again)
	// and deletes the entry in the same transaction. An address still
	// unknown leaves the entry in place and returns EUNPROCESSABLE.
	ReprocessQuarantined(ctx context.Context, orgID, id string, sub *InkSubmission) (*CaptureResult, error)
	// DeleteQuarantined drops an entry without processing it.
	DeleteQuarantined(ctx context.Context, orgID, id string) error
}

// InkParser parses a stored ink body under the Content-Type it arrived
// with (InkML or the JSON stroke format), within the server's limits.
// Malformed → EINVALID, over a limit → ETOOLARGE, an unknown type →
// EUNSUPPORTED.
type InkParser interface {
	ParseInk(contentType string, body []byte) (*InkSubmission, error)
}

// ReprocessQuarantined parses a quarantined entry's body again and
// captures it (QuarantineService.ReprocessQuarantined), keeping the time
// the ink first arrived and its submission ID: what the API and the
// console do once the missing form, or its page address, exists.
func ReprocessQuarantined(ctx context.Context, q QuarantineService, p InkParser, orgID, id string) (*CaptureResult, error) {
	entry, body, err := q.FindQuarantined(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	sub, err := p.ParseInk(entry.ContentType, body)
	if ErrorCode(err) == EUNSUPPORTED {
		// The body was accepted once under this type, so the stored
		// entry has gone bad; say which.
		return nil, fmt.Errorf("quarantined submission %s: %w", id, err)
	} else if err != nil {
		// Limits may have been lowered since the body was accepted; the
		// parser's own code (ETOOLARGE, EINVALID) says so.
		return nil, err
	}
	if sub.SubmissionID == "" {
		sub.SubmissionID = entry.SubmissionID
	}
	sub.ReceivedAt = entry.ReceivedAt
	return q.ReprocessQuarantined(ctx, orgID, id, sub)
}
