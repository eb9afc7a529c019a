package http

import (
	"net/http"

	"github.com/inkform/inkform"
)

// auditListResponse is the body of GET /api/v1/audit.
type auditListResponse struct {
	Events []*inkform.AuditEvent `json:"events"`
	Next   string                `json:"next"`
}

// maxAuditActorLength bounds ?actor=: "token " or "user " and an ID.
const maxAuditActorLength = 64

// handleAuditList answers GET /api/v1/audit with the org's audit events,
// oldest first, filtered by ?action=, ?kind= and ?object= (the object's
// kind and ID), ?actor= ("token <id>" or "user <id>"), ?since= and ?until=
// (RFC 3339), and paged by ?after= and ?limit=.
func (s *Server) handleAuditList(w http.ResponseWriter, r *http.Request) error {
	if s.Audit == nil {
		return inkform.Errorf(inkform.EUNAVAILABLE, "the audit log is not available on this server")
	}
	org, err := orgID(r)
	if err != nil {
		return err
	}
	filter, err := auditFilter(r)
	if err != nil {
		return err
	}
	events, next, err := s.Audit.ListAudit(r.Context(), org, filter)
	if err != nil {
		return err
	}
	if events == nil {
		events = []*inkform.AuditEvent{}
	}
	return writeJSON(w, http.StatusOK, auditListResponse{Events: events, Next: next})
}

// auditFilter reads the query parameters of GET /api/v1/audit, refusing a
// malformed value rather than listing more than was asked for.
func auditFilter(r *http.Request) (inkform.AuditFilter, error) {
	q := r.URL.Query()
	var f inkform.AuditFilter
	var err error
	f.Action, f.ObjectKind, f.Actor = q.Get("action"), q.Get("kind"), q.Get("actor")
	if !auditWord(f.Action, inkform.MaxAuditActionLength, true) {
		return f, invalidParam("action", "must be an action such as %s", inkform.AuditDocumentRead)
	}
	if !auditWord(f.ObjectKind, 32, false) {
		return f, invalidParam("kind", "must be an object kind such as document")
	}
	if len(f.Actor) > maxAuditActorLength {
		return f, invalidParam("actor", "must be at most %d bytes, such as \"token <id>\"", maxAuditActorLength)
	}
	if f.ObjectID, err = cursorID(q, "object"); err != nil {
		return f, err
	}
	f.Since, f.Until, f.After, f.Limit, err = listWindow(q)
	return f, err
}

// auditWord reports whether s is empty or up to maxLen lowercase letters,
// underscores and (when dot) dots.
func auditWord(s string, maxLen int, dot bool) bool {
	if len(s) > maxLen {
		return false
	}
	for _, c := range s {
		if !('a' <= c && c <= 'z' || c == '_' || dot && c == '.') {
			return false
		}
	}
	return true
}
