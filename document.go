package inkform

import (
	"context"
	"time"
)

// DocumentStatus is where a document is in its life.
type DocumentStatus string

// Document statuses.
const (
	StatusReceived          DocumentStatus = "received"
	StatusNeedsVerification DocumentStatus = "needs_verification"
	StatusValidated         DocumentStatus = "validated"
)

// Document is one filled copy of a form: its ink (or digital values) and the
// field values read from it.
type Document struct {
	ID          string                `json:"id"`
	OrgID       string                `json:"-"`
	FormID      string                `json:"form"`
	FormVersion int                   `json:"formVersion"`
	Status      DocumentStatus        `json:"status"`
	CopyID      string                `json:"copy,omitempty"`
	PenID       string                `json:"pen"`
	Pages       []DocumentPage        `json:"pages"`
	Fields      map[string]FieldValue `json:"fields"`
	CreatedAt   time.Time             `json:"createdAt"`
	UpdatedAt   time.Time             `json:"updatedAt"`
}

// DocumentPage is a page of a document that ink was written on.
type DocumentPage struct {
	Number  int    `json:"number"`
	Address string `json:"address"`
	Strokes int    `json:"strokes"`
}

// StatusChange records one change of a document's status.
type StatusChange struct {
	From  DocumentStatus `json:"from,omitempty"`
	To    DocumentStatus `json:"to"`
	Cause string         `json:"cause"`
	At    time.Time      `json:"at"`
}

// DocumentFilter selects documents to list. Zero values select all.
type DocumentFilter struct {
	FormID string
	Status DocumentStatus
	PenID  string    // the pen's serial, exactly
	Since  time.Time // created at or after
	Until  time.Time // created before
	After  string    // cursor: documents with IDs after this one
	Limit  int
}

// DocumentInk is the stored ink of a document: the pages it was written on
// with their strokes, in the order received.
type DocumentInk struct {
	DocumentID string
	PenID      string
	Pages      []PageInk
	// SHA256 is the hex SHA-256 of the stored ink encoding.
	SHA256 string
	// Rows is the number of stored ink rows (one per submission that
	// wrote to the document), a version number of the ink.
	Rows int
}

// DocumentService reads and updates documents. Every method is scoped by org.
type DocumentService interface {
	// FindDocument returns ENOTFOUND when the org has no such document.
	FindDocument(ctx context.Context, orgID, id string) (*Document, error)
	// ListDocuments lists documents oldest first and returns the cursor of
	// the next page ("" at the end).
	ListDocuments(ctx context.Context, orgID string, filter DocumentFilter) ([]*Document, string, error)
	// FindDocumentInk returns all ink of a document.
	FindDocumentInk(ctx context.Context, orgID, id string) (*DocumentInk, error)
	// ListStatusChanges returns a document's status history, oldest first.
	ListStatusChanges(ctx context.Context, orgID, id string) ([]StatusChange, error)
}

// FeedPage is one page of a form's validated-documents feed.
type FeedPage struct {
	Documents []*Document `json:"documents"`
	// Next is the cursor to ask with next time. It is always set: with
	// nothing new it equals the cursor asked with, so a client can keep
	// polling with it.
	Next string `json:"next"`
}

// DocumentFeed lists the validated documents of a form in the order they
// were validated, for integrations that copy them elsewhere. A client that
// keeps the cursor never misses a document validated later, even when the
// transactions that validated them commit out of order. A document that is
// validated again, or whose values change while it is validated, moves to
// the end of the feed (the client updates its copy); one that leaves
// validated or is purged drops out.
type DocumentFeed interface {
	// ValidatedFeed returns up to limit documents of the form validated
	// after the cursor ("" for the start). ENOTFOUND when the org has no
	// such form, EINVALID for a cursor the feed did not hand out.
	ValidatedFeed(ctx context.Context, orgID, formID, after string, limit int) (*FeedPage, error)
}
