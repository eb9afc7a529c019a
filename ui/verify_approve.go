package ui

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/inkform/inkform"
)

// approveRequest is the station script's save: the form's inputs, by
// name, as the plain form would post them.
type approveRequest struct {
	Values url.Values `json:"values"`
}

// stationAnswer is what the station's JSON endpoints answer: where to go
// next, or why not.
type stationAnswer struct {
	Next     string            `json:"next,omitempty"`
	Notice   string            `json:"notice,omitempty"`
	Message  string            `json:"message,omitempty"`
	Problems []inkform.Problem `json:"problems,omitempty"`
}

// handleVerifyApprove serves POST /verify/documents/{id}/approve: it saves
// the person's corrections (VerificationService.Correct), approves the
// document with the API's rules and leases the next one of the form. The
// station's script posts JSON and gets JSON; the plain form (no script)
// posts the form and gets a 303 to the next document, or the page again
// with the problems on their fields (422).
func (s *Server) handleVerifyApprove(w http.ResponseWriter, r *http.Request, v *visit) error {
	asJSON := isJSON(r)
	in := r.PostForm
	if asJSON {
		var req approveRequest
		if !readJSON(w, r, &req) {
			return nil
		}
		in = req.Values
	}
	ctx := r.Context()
	doc, err := s.Documents.FindDocument(ctx, v.Org.ID, r.PathValue("id"))
	if err != nil {
		return s.stationRefusal(w, r, v, in, nil, err)
	}
	form, err := s.Forms.FindFormVersion(ctx, v.Org.ID, doc.FormID, doc.FormVersion)
	if err != nil {
		return fmt.Errorf("find form: %w", err)
	}
	entries, err := s.Entries.ListEntries(ctx, v.Org.ID, doc.ID)
	if err != nil {
		return fmt.Errorf("list entries: %w", err)
	}
	notice := ""
	raw := corrections(form, doc, inkform.EntryStates(entries), in)
	if len(raw) > 0 {
		corrected, err := s.Verification.Correct(ctx, v.Org.ID, doc.ID, v.User.ID, raw)
		if err != nil {
			return s.stationRefusal(w, r, v, in, doc, err)
		}
		doc = corrected
		s.auditChange(r, v, inkform.AuditDocumentUpdate, doc.ID, "set "+strings.Join(slices.Sorted(maps.Keys(raw)), ", "))
	}
	pending, err := s.pending(r, v, doc.ID, form, raw)
	if err != nil {
		return err
	}
	if pending {
		// The person's blind entries are stored; the document waits for
		// another person's, so there is nothing to approve yet.
		notice = "Your entries are saved; the document waits for another person's."
		_ = s.Leases.ReleaseLease(ctx, v.Org.ID, doc.ID, v.User.ID)
	} else if _, err := s.Verification.Approve(ctx, v.Org.ID, doc.ID, v.User.ID); err != nil {
		return s.stationRefusal(w, r, v, in, doc, err)
	} else {
		s.auditChange(r, v, inkform.AuditDocumentApprove, doc.ID, "")
	}
	next, err := s.nextURL(r, v, doc.FormID)
	if err != nil {
		return err
	}
	if asJSON {
		writeJSON(w, http.StatusOK, stationAnswer{Next: next, Notice: notice})
		return nil
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// pending reports whether the person typed blind entries (in raw) of
// which one still waits for another person's entry or a decision.
func (s *Server) pending(r *http.Request, v *visit, docID string, form *inkform.Form, raw map[string]json.RawMessage) (bool, error) {
	typed := false
	for name := range raw {
		if f := form.Field(name); f != nil && f.DoubleEntry {
			typed = true
		}
	}
	if !typed {
		return false, nil
	}
	entries, err := s.Entries.ListEntries(r.Context(), v.Org.ID, docID)
	if err != nil {
		return false, fmt.Errorf("list entries: %w", err)
	}
	return pendingEntries(raw, form, inkform.EntryStates(entries)), nil
}

// stationRefusal answers a save or flag the workflow refused: problems
// (422) on their fields, a document someone else holds (409), one that
// is gone (404). Other errors are inkform's and returned. doc, when set,
// is shown again to a person without the script, with what they typed
// (in) and the problems.
func (s *Server) stationRefusal(w http.ResponseWriter, r *http.Request, v *visit, in url.Values, doc *inkform.Document, err error) error {
	asJSON := isJSON(r)
	var status int
	var msg string
	switch inkform.ErrorCode(err) {
	case inkform.EUNPROCESSABLE, inkform.EINVALID:
		status, msg = http.StatusUnprocessableEntity, inkform.ErrorMessage(err)
	case inkform.ECONFLICT:
		status, msg = http.StatusConflict, "Another person is verifying this document just now, or your hold on it ran out. Start again from the queues."
	case inkform.ENOTFOUND:
		status, msg = http.StatusNotFound, "There is no such document. It may have been deleted."
	default:
		return err
	}
	problems := inkform.ErrorProblems(err)
	if asJSON {
		writeJSON(w, status, stationAnswer{Message: msg, Problems: problems})
		return nil
	}
	if status == http.StatusConflict {
		s.taken(w, r, v)
		return nil
	}
	if status != http.StatusUnprocessableEntity || doc == nil {
		s.problem(w, r, v, status, msg)
		return nil
	}
	if len(problems) == 0 {
		problems = []inkform.Problem{{Message: msg}}
	}
	return s.showStation(w, r, v, doc, status, problems, in)
}

// isJSON reports whether a request's body is JSON (the station's script).
func isJSON(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "application/json")
}

// readJSON decodes a JSON body into v, answering 400 when it cannot.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		writeJSON(w, http.StatusBadRequest, stationAnswer{Message: "The request could not be read."})
		return false
	}
	return true
}

// writeJSON answers with a JSON value.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
