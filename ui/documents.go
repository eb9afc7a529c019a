package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/inkform/inkform"
)

// documentRoutes are the documents, quarantine and dead-jobs pages.
func (s *Server) documentRoutes() []route {
	read, del := inkform.PermDocumentsRead, inkform.PermDocumentsDelete
	return []route{
		{"GET /documents", s.documents(read, s.handleDocuments)},
		{"GET /documents/bulk", s.documents(read, s.handleBulkConfirm)},
		{"POST /documents/bulk", s.documents(read, s.handleBulkApply)},
		{"GET /documents/{id}", s.documents(read, s.handleDocument)},
		{"GET /documents/{id}/ink.json", s.documents(read, s.handleDocumentInk)},
		{"GET /documents/{id}/document.pdf", s.documents(read, s.handleDocumentPDF)},
		{"GET /documents/{id}/delete", s.documents(del, s.handleDocumentDeleteConfirm)},
		{"POST /documents/{id}/delete", s.documents(del, s.handleDocumentDelete)},
		{"GET /quarantine", s.quarantine(s.handleQuarantine)},
		{"GET /quarantine/{id}/assign", s.quarantine(s.handleQuarantineAssignShow)},
		{"POST /quarantine/{id}/assign", s.quarantine(s.handleQuarantineAssign)},
		{"POST /quarantine/{id}/delete", s.quarantine(s.handleQuarantineDelete)},
		{"GET /jobs", s.jobs(s.handleJobs)},
		{"POST /jobs/retry", s.jobs(s.handleJobsRetryAll)},
		{"POST /jobs/{id}/retry", s.jobs(s.handleJobRetry)},
	}
}

// documents is signedIn for the documents pages, which need their
// services: a server wired without them says so instead of failing.
func (s *Server) documents(perm inkform.Permission, h pageHandler) http.Handler {
	return s.signedIn(perm, func(w http.ResponseWriter, r *http.Request, v *visit) error {
		if !s.hasDocuments() {
			s.problem(w, r, v, http.StatusServiceUnavailable, "The documents are not set up on this server.")
			return nil
		}
		return h(w, r, v)
	})
}

// docFilter is the documents filter as typed, with what it selects.
type docFilter struct {
	Form, Status, Pen, Since, Until string
	Filter                          inkform.DocumentFilter
}

// dateLayout is how the filter's dates are typed (an HTML date input).
const dateLayout = "2006-01-02"

// maxPenSerial bounds a typed pen serial; real ones have 14 characters.
const maxPenSerial = 64

// readDocFilter reads the filter from a query or a posted form. Dates are
// whole days in UTC, both included. A value it cannot use is refused with
// a message, rather than ignored: acting on every document when some were
// asked for is the worse failure.
func readDocFilter(q url.Values) (docFilter, string) {
	f := docFilter{Form: strings.TrimSpace(q.Get("form")), Status: q.Get("status"),
		Pen: strings.TrimSpace(q.Get("pen")), Since: q.Get("since"), Until: q.Get("until")}
	if len(f.Form) > 64 || strings.ContainsAny(f.Form, "/?#") {
		return f, "The form is not one of the org's forms."
	}
	f.Filter.FormID = f.Form
	switch st := inkform.DocumentStatus(f.Status); st {
	case "", inkform.StatusReceived, inkform.StatusNeedsVerification, inkform.StatusValidated:
		f.Filter.Status = st
	default:
		return f, "The status must be received, needs verification or validated."
	}
	if len(f.Pen) > maxPenSerial {
		return f, fmt.Sprintf("A pen serial has at most %d characters.", maxPenSerial)
	}
	f.Filter.PenID = f.Pen
	var err error
	if f.Since != "" {
		if f.Filter.Since, err = time.Parse(dateLayout, f.Since); err != nil {
			return f, "The first day must be a date such as 2026-03-01."
		}
	}
	if f.Until != "" {
		until, err := time.Parse(dateLayout, f.Until)
		if err != nil {
			return f, "The last day must be a date such as 2026-03-31."
		}
		f.Filter.Until = until.AddDate(0, 0, 1) // the last day is included
	}
	if !f.Filter.Since.IsZero() && !f.Filter.Until.IsZero() && !f.Filter.Since.Before(f.Filter.Until) {
		return f, "The last day is before the first."
	}
	return f, ""
}

// pairs returns the filter's non-empty fields, in the form's order.
func (f docFilter) pairs() []optionView {
	var out []optionView
	for _, kv := range [][2]string{{"form", f.Form}, {"status", f.Status}, {"pen", f.Pen}, {"since", f.Since}, {"until", f.Until}} {
		if kv[1] != "" {
			out = append(out, optionView{Label: kv[0], Value: kv[1]})
		}
	}
	return out
}

// values returns the filter as query values, empty ones left out.
func (f docFilter) values() url.Values {
	q := url.Values{}
	for _, p := range f.pairs() {
		q.Set(p.Label, p.Value)
	}
	return q
}

// Link is the documents list with the filter.
func (f docFilter) Link() string { return "/documents?" + f.values().Encode() }

// Hidden lists the filter's fields (Label the name) for a form that
// carries the filter on.
func (f docFilter) Hidden() []optionView { return f.pairs() }

// Summary describes the filter in words.
func (f docFilter) Summary(forms map[string]string) string {
	parts := []string{"status " + statusText(f.Filter.Status)}
	if f.Filter.Status == "" {
		parts[0] = "any status"
	}
	if f.Form != "" {
		parts = append(parts, "form "+nameOr(forms[f.Form], f.Form))
	}
	if f.Pen != "" {
		parts = append(parts, "pen "+f.Pen)
	}
	if f.Since != "" {
		parts = append(parts, "from "+f.Since)
	}
	if f.Until != "" {
		parts = append(parts, "to "+f.Until+" (included)")
	}
	return strings.Join(parts, ", ")
}

// nameOr returns name, or id when there is none.
func nameOr(name, id string) string {
	if name == "" {
		return id
	}
	return name
}
