package ui

import (
	"net/http"
	"net/url"
	"time"

	"github.com/inkform/inkform"
)

// auditPageSize is how many events the audit log page shows at once.
const auditPageSize = 50

// auditView is the audit log page: the filter as typed, the events, and
// the link to the next page ("" at the end).
type auditView struct {
	Actor, Action, Kind, Object, Since, Until string
	Events                                    []*inkform.AuditEvent
	Next                                      string
}

// handleAudit serves GET /audit: the org's audit events, oldest first,
// filtered by actor, action, object kind and ID and a date range (UTC
// days, both included), fifty to a page with a cursor.
func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request, v *visit) error {
	q := r.URL.Query()
	av := &auditView{Actor: q.Get("actor"), Action: q.Get("action"), Kind: q.Get("kind"),
		Object: q.Get("object"), Since: q.Get("since"), Until: q.Get("until")}
	page := &view{Title: "Audit log", Visit: v, CSRF: v.CSRF, Audit: av}
	if !s.hasAudit() {
		s.problem(w, r, v, http.StatusServiceUnavailable, "The audit log is not set up on this server.")
		return nil
	}
	f, msg := auditPageFilter(q)
	if msg != "" {
		page.Error = msg
		s.render(w, r, http.StatusBadRequest, "audit", page)
		return nil
	}
	events, next, err := s.Audit.ListAudit(r.Context(), v.Org.ID, f)
	if err != nil {
		return err
	}
	av.Events = events
	if next != "" {
		q.Set("after", next)
		av.Next = "/audit?" + q.Encode()
	}
	s.render(w, r, http.StatusOK, "audit", page)
	return nil
}

// auditPageFilter reads the page's query into a filter; msg says what is
// wrong with it ("" when nothing is).
func auditPageFilter(q url.Values) (f inkform.AuditFilter, msg string) {
	f = inkform.AuditFilter{Actor: q.Get("actor"), Action: q.Get("action"), ObjectKind: q.Get("kind"),
		ObjectID: q.Get("object"), After: q.Get("after"), Limit: auditPageSize}
	for _, c := range []struct {
		value string
		max   int
		name  string
	}{{f.Actor, 64, "actor"}, {f.Action, inkform.MaxAuditActionLength, "action"}, {f.ObjectKind, 32, "object kind"},
		{f.ObjectID, 64, "object ID"}, {f.After, 64, "page"}} {
		if len(c.value) > c.max {
			return f, "The " + c.name + " is too long."
		}
	}
	if f.ObjectID != "" && !inkform.ValidID(f.ObjectID) || f.After != "" && !inkform.ValidID(f.After) {
		return f, "The object ID or page is not an ID inkform made."
	}
	var err error
	if since := q.Get("since"); since != "" {
		if f.Since, err = time.Parse(time.DateOnly, since); err != nil {
			return f, "The first day must be a date such as 2026-12-01."
		}
	}
	if until := q.Get("until"); until != "" {
		day, err := time.Parse(time.DateOnly, until)
		if err != nil {
			return f, "The last day must be a date such as 2026-12-31."
		}
		f.Until = day.AddDate(0, 0, 1) // the whole last day
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Since.Before(f.Until) {
		return f, "The first day must not be after the last."
	}
	return f, ""
}
