package inkform

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// MaxBulkDocuments bounds the documents one bulk action acts on. An
// approval or a purge each takes a few milliseconds, so this many finish
// within a request's patience; more are acted on in parts, each with a
// narrower filter (a date range), and the person is told so.
const MaxBulkDocuments = 1000

// Matches reports whether doc passes the filter's conditions (the cursor
// and limit aside), as ListDocuments applies them.
func (f DocumentFilter) Matches(doc *Document) bool {
	switch {
	case f.FormID != "" && doc.FormID != f.FormID,
		f.Status != "" && doc.Status != f.Status,
		f.PenID != "" && doc.PenID != f.PenID,
		!f.Since.IsZero() && doc.CreatedAt.Before(f.Since),
		!f.Until.IsZero() && !doc.CreatedAt.Before(f.Until):
		return false
	}
	return true
}

// DocumentMatch is every document a filter matches at one moment: what a
// bulk action shows for confirmation and then acts on.
type DocumentMatch struct {
	IDs []string // oldest first
	// Over is true when more than the limit asked for match; IDs then
	// holds the first limit+1 and the action must not run.
	Over bool
}

// Fingerprint names the exact set of matched documents: a bulk action's
// confirmation carries it, and the action runs only while the filter
// still matches these documents and no others.
func (m *DocumentMatch) Fingerprint() string {
	h := sha256.New()
	for _, id := range m.IDs {
		h.Write([]byte(id))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// MatchDocuments lists the IDs of every document of the org that the
// filter matches (its After and Limit are ignored), paging through
// ListDocuments by ID, which keeps the walk correct while documents
// arrive. It stops after limit+1 documents.
func MatchDocuments(ctx context.Context, docs DocumentService, orgID string, f DocumentFilter, limit int) (*DocumentMatch, error) {
	f.After, f.Limit = "", MaxListLimit
	m := &DocumentMatch{IDs: []string{}}
	for {
		page, next, err := docs.ListDocuments(ctx, orgID, f)
		if err != nil {
			return nil, fmt.Errorf("match documents: %w", err)
		}
		for _, d := range page {
			if len(m.IDs) == limit {
				m.Over = true
				return m, nil
			}
			m.IDs = append(m.IDs, d.ID)
		}
		if next == "" {
			return m, nil
		}
		f.After = next
	}
}
