package http

import (
	"net/http"

	"github.com/inkform/inkform"
)

// maxFeedCursor bounds the ?after= of the feed; cursors the feed hands out
// are far shorter.
const maxFeedCursor = 64

// handleFormFeed answers GET /api/v1/forms/{id}/feed?after=&limit= with
// the form's validated documents in the order they were validated, after
// the cursor. Unlike GET /api/v1/documents?status=validated, which pages by
// ID, a client that stores next and asks with it again never misses a
// document validated later; with nothing new, next is the cursor it sent.
func (s *Server) handleFormFeed(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if s.Feed == nil {
		return inkform.Errorf(inkform.EUNAVAILABLE, "the validated-documents feed is not available on this server")
	}
	q := r.URL.Query()
	limit, err := pageLimit(q)
	if err != nil {
		return err
	}
	after := q.Get("after")
	if len(after) > maxFeedCursor {
		return invalidParam("after", "must be a cursor returned as next by this feed")
	}
	page, err := s.Feed.ValidatedFeed(r.Context(), org, id, after, limit)
	if err != nil {
		return err
	}
	if page.Documents == nil {
		page.Documents = []*inkform.Document{}
	}
	if err := s.auditFeed(r, org, page.Documents); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page)
}

// auditFeed records a read of every document of a feed page, like
// auditList does for lists, and refuses the page when it cannot.
func (s *Server) auditFeed(r *http.Request, org string, docs []*inkform.Document) error {
	if s.Audit == nil || len(docs) == 0 {
		return nil
	}
	events := make([]*inkform.AuditEvent, len(docs))
	for i, d := range docs {
		events[i] = &inkform.AuditEvent{Actor: principalName(r), Action: inkform.AuditDocumentRead,
			Object: inkform.AuditObject{Kind: "document", ID: d.ID}, Detail: "feed"}
	}
	return s.Audit.RecordAudit(r.Context(), org, events...)
}
