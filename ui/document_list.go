package ui

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/inkform/inkform"
)

// documentsPage is how many documents one page of the list shows.
const documentsPage = 50

// documentsView is the documents list: the filter, one page of what it
// matches and the ways on.
type documentsView struct {
	Filter   docFilter
	Forms    []optionView // every form, for the filter (Chosen: the one filtered by)
	Statuses []optionView
	Rows     []docRow
	Next     string // the next page's URL; "" on the last
	First    string // the first page's URL while on a later one
	// Bulk actions the person's role allows on everything the filter
	// matches; approving only when the filter asks for documents that
	// need verification.
	CanApprove, CanDelete bool
}

// docRow is one document in the list.
type docRow struct {
	ID, Form, Status, Pen string
	Pages                 int
	Created               time.Time
}

// handleDocuments serves GET /documents: the org's documents, oldest
// first, filtered by form, status, pen and days, a page at a time. Pages
// follow by ID (?after=), not by offset, so a document that arrives while
// someone pages is listed once, at the end, and none is skipped.
func (s *Server) handleDocuments(w http.ResponseWriter, r *http.Request, v *visit) error {
	q := r.URL.Query()
	f, msg := readDocFilter(q)
	page, names, err := s.documentsView(r.Context(), v, f)
	if err != nil {
		return err
	}
	view := &view{Title: "Documents", Visit: v, CSRF: v.CSRF, Docs: page, Error: msg}
	if msg != "" {
		s.render(w, r, http.StatusBadRequest, "documents", view)
		return nil
	}
	after := q.Get("after")
	if len(after) > 64 {
		after = ""
	}
	f.Filter.After, f.Filter.Limit = after, documentsPage
	docs, next, err := s.Documents.ListDocuments(r.Context(), v.Org.ID, f.Filter)
	if err != nil {
		return fmt.Errorf("list documents: %w", err)
	}
	for _, d := range docs {
		page.Rows = append(page.Rows, docRow{ID: d.ID, Form: nameOr(names[d.FormID], d.FormID), Status: statusText(d.Status),
			Pen: d.PenID, Pages: len(d.Pages), Created: d.CreatedAt})
	}
	base := f.values()
	if next != "" {
		base.Set("after", next)
		page.Next = "/documents?" + base.Encode()
		base.Del("after")
	}
	if after != "" {
		page.First = "/documents?" + base.Encode()
	}
	switch r.URL.Query().Get("done") {
	case "deleted":
		view.Notice = "The document is deleted."
	}
	s.render(w, r, http.StatusOK, "documents", view)
	return nil
}

// documentsView fills in the filter's choices; names maps form IDs to
// names.
func (s *Server) documentsView(ctx context.Context, v *visit, f docFilter) (*documentsView, map[string]string, error) {
	names, forms, err := s.formNames(ctx, v.Org.ID)
	if err != nil {
		return nil, nil, err
	}
	page := &documentsView{Filter: f,
		CanApprove: v.User.Role.Can(inkform.PermDocumentsVerify) && s.Verification != nil,
		CanDelete:  v.User.Role.Can(inkform.PermDocumentsDelete) && s.Purger != nil}
	for _, fs := range forms {
		page.Forms = append(page.Forms, optionView{Value: fs.ID, Label: fs.Name, Chosen: fs.ID == f.Form})
	}
	for _, st := range []inkform.DocumentStatus{inkform.StatusReceived, inkform.StatusNeedsVerification, inkform.StatusValidated} {
		page.Statuses = append(page.Statuses, optionView{Value: string(st), Label: statusText(st), Chosen: string(st) == f.Status})
	}
	return page, names, nil
}

// formNames lists the org's forms (up to a list's limit) and maps their
// IDs to names.
func (s *Server) formNames(ctx context.Context, orgID string) (map[string]string, []*inkform.FormSummary, error) {
	forms, err := s.Forms.ListForms(ctx, orgID, inkform.FormFilter{Limit: inkform.MaxListLimit})
	if err != nil {
		return nil, nil, fmt.Errorf("list forms: %w", err)
	}
	names := make(map[string]string, len(forms))
	for _, f := range forms {
		names[f.ID] = f.Name
	}
	return names, forms, nil
}
