package http

import (
	"net/http"

	"github.com/inkform/inkform"
)

// documentListResponse is the body of GET /api/v1/documents.
type documentListResponse struct {
	Documents []*inkform.Document `json:"documents"`
	Next      string              `json:"next"`
}

// handleDocumentList answers GET /api/v1/documents with the org's
// documents, oldest first, filtered by ?form=, ?status=, ?since= and
// ?until= (RFC 3339, since inclusive, until exclusive) and paged by
// ?after= and ?limit=. Integrations poll it with status=validated.
func (s *Server) handleDocumentList(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	filter, err := documentFilter(r)
	if err != nil {
		return err
	}
	docs, next, err := s.Documents.ListDocuments(r.Context(), org, filter)
	if err != nil {
		return err
	}
	if docs == nil {
		docs = []*inkform.Document{}
	}
	if err := s.auditList(r, docs); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, documentListResponse{Documents: docs, Next: next})
}

// documentFilter reads the query parameters of GET /api/v1/documents. A
// misspelt value is refused rather than ignored: silently listing every
// document when the caller asked for some is the worse failure.
func documentFilter(r *http.Request) (inkform.DocumentFilter, error) {
	q := r.URL.Query()
	var f inkform.DocumentFilter
	var err error
	if f.FormID, err = cursorID(q, "form"); err != nil {
		return f, err
	}
	switch st := inkform.DocumentStatus(q.Get("status")); st {
	case "", inkform.StatusReceived, inkform.StatusNeedsVerification, inkform.StatusValidated:
		f.Status = st
	default:
		return f, invalidParam("status", "must be %s, %s or %s",
			inkform.StatusReceived, inkform.StatusNeedsVerification, inkform.StatusValidated)
	}
	f.Since, f.Until, f.After, f.Limit, err = listWindow(q)
	return f, err
}
