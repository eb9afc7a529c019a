package ui

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/inkform/inkform"
)

// bulkView is a bulk action's confirmation (the exact number of documents
// the filter matches now) or, with Done, its result.
type bulkView struct {
	Action      string // "approve" or "delete"
	Verb        string // "Approve" or "Delete", for the button
	Filter      docFilter
	Summary     string
	Count       int
	Fingerprint string
	Max         int
	Over        bool // more match than one action may act on
	Changed     int  // the count the person confirmed, when the match changed since (else -1)
	Done        *bulkResult
}

// bulkResult says what a bulk action did.
type bulkResult struct {
	Acted   int
	Skipped int         // changed or gone between the confirmation and the action
	Failed  []bulkError // refused, each with the reason
}

// bulkError is a document a bulk action could not act on.
type bulkError struct {
	ID, Reason string
}

// bulkAction checks the posted or asked-for action against the person's
// role and the server; "" with a message when it cannot run.
func (s *Server) bulkAction(v *visit, action string, f docFilter) (verb, msg string) {
	switch action {
	case "approve":
		if s.Verification == nil || !v.User.Role.Can(inkform.PermDocumentsVerify) {
			return "", "Your role (" + string(v.User.Role) + ") cannot approve documents."
		}
		if f.Filter.Status != inkform.StatusNeedsVerification {
			return "", "Only documents that need verification are approved: choose that status in the filter first."
		}
		return "Approve", ""
	case "delete":
		if s.Purger == nil || !v.User.Role.Can(inkform.PermDocumentsDelete) {
			return "", "Your role (" + string(v.User.Role) + ") cannot delete documents."
		}
		return "Delete", ""
	}
	return "", "Choose approve or delete."
}

// handleBulkConfirm serves GET /documents/bulk?action=&…filter: how many
// documents the filter matches now, all of them and not just a page,
// and a button that acts on exactly those.
func (s *Server) handleBulkConfirm(w http.ResponseWriter, r *http.Request, v *visit) error {
	q := r.URL.Query()
	return s.bulkConfirm(w, r, v, q.Get("action"), -1, http.StatusOK, q)
}

// bulkConfirm matches the filter in vals and shows the confirmation;
// changed is the count the person confirmed before, when it no longer
// holds (-1 the first time).
func (s *Server) bulkConfirm(w http.ResponseWriter, r *http.Request, v *visit, action string, changed, status int, vals map[string][]string) error {
	f, msg := readDocFilter(vals)
	verb, denied := s.bulkAction(v, action, f)
	if msg == "" {
		msg = denied
	}
	if msg != "" {
		s.problem(w, r, v, http.StatusBadRequest, msg)
		return nil
	}
	names, _, err := s.formNames(r.Context(), v.Org.ID)
	if err != nil {
		return err
	}
	m, err := inkform.MatchDocuments(r.Context(), s.Documents, v.Org.ID, f.Filter, inkform.MaxBulkDocuments)
	if err != nil {
		return err
	}
	b := &bulkView{Action: action, Verb: verb, Filter: f, Summary: f.Summary(names), Count: len(m.IDs),
		Fingerprint: m.Fingerprint(), Max: inkform.MaxBulkDocuments, Over: m.Over, Changed: changed}
	s.render(w, r, status, "bulk", &view{Title: verb + " documents", Visit: v, CSRF: v.CSRF, Bulk: b})
	return nil
}

// handleBulkApply serves POST /documents/bulk: the confirmed action on
// every document the filter matches, provided it still matches exactly
// the documents the person confirmed (the count and their fingerprint).
// Otherwise nothing is done and the new count is shown to confirm again:
// a document that arrived, or was approved by someone else, since.
// Each document is checked again just before the action, so one changed
// by someone else in the meantime is skipped rather than acted on; each
// action is audited as the API audits it.
func (s *Server) handleBulkApply(w http.ResponseWriter, r *http.Request, v *visit) error {
	action := r.PostFormValue("action")
	f, msg := readDocFilter(r.PostForm)
	verb, denied := s.bulkAction(v, action, f)
	if msg == "" {
		msg = denied
	}
	if msg != "" {
		s.problem(w, r, v, http.StatusBadRequest, msg)
		return nil
	}
	confirmed, err := strconv.Atoi(r.PostFormValue("count"))
	if err != nil || confirmed < 0 {
		s.problem(w, r, v, http.StatusBadRequest, "The confirmation has no count of documents. Start again from the documents list.")
		return nil
	}
	ctx := r.Context()
	m, err := inkform.MatchDocuments(ctx, s.Documents, v.Org.ID, f.Filter, inkform.MaxBulkDocuments)
	if err != nil {
		return err
	}
	if m.Over || len(m.IDs) != confirmed || m.Fingerprint() != r.PostFormValue("fingerprint") {
		return s.bulkConfirm(w, r, v, action, confirmed, http.StatusConflict, r.PostForm)
	}
	res, err := s.bulkRun(ctx, r, v, action, f.Filter, m.IDs)
	if err != nil {
		return err
	}
	names, _, err := s.formNames(ctx, v.Org.ID)
	if err != nil {
		return err
	}
	b := &bulkView{Action: action, Verb: verb, Filter: f, Summary: f.Summary(names), Count: len(m.IDs), Changed: -1, Done: res}
	s.render(w, r, http.StatusOK, "bulk", &view{Title: verb + " documents", Visit: v, CSRF: v.CSRF, Bulk: b})
	return nil
}

// bulkRun acts on each document that still matches the filter.
func (s *Server) bulkRun(ctx context.Context, r *http.Request, v *visit, action string, f inkform.DocumentFilter, ids []string) (*bulkResult, error) {
	res := &bulkResult{}
	for _, id := range ids {
		doc, err := s.Documents.FindDocument(ctx, v.Org.ID, id)
		if inkform.ErrorCode(err) == inkform.ENOTFOUND {
			res.Skipped++
			continue
		} else if err != nil {
			return nil, fmt.Errorf("find document: %w", err)
		}
		if !f.Matches(doc) {
			res.Skipped++
			continue
		}
		if action == "delete" {
			gone, err := s.purge(ctx, v, id)
			if err != nil {
				return nil, err
			}
			if gone {
				res.Acted++
			} else {
				res.Skipped++
			}
			continue
		}
		_, err = s.Verification.Approve(ctx, v.Org.ID, id, v.User.ID)
		switch inkform.ErrorCode(err) {
		case "":
			res.Acted++
			s.auditChange(r, v, inkform.AuditDocumentApprove, id, "bulk approval")
		case inkform.EUNPROCESSABLE, inkform.ECONFLICT, inkform.ENOTFOUND:
			res.Failed = append(res.Failed, bulkError{ID: id, Reason: inkform.ErrorMessage(err)})
		default:
			return nil, fmt.Errorf("approve document %s: %w", id, err)
		}
	}
	return res, nil
}
