package http

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
)

// fakeFeed is an in-memory DocumentFeed over one org's forms: a document's
// cursor is its place in its form's list, as sqlstore's is its position.
type fakeFeed struct {
	mu    sync.Mutex
	org   string
	forms map[string][]*inkform.Document
	calls []string // "form after limit" of each call
}

func (f *fakeFeed) ValidatedFeed(ctx context.Context, orgID, formID, after string, limit int) (*inkform.FeedPage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf("%s %s %d", formID, after, limit))
	docs, ok := f.forms[formID]
	if !ok || orgID != f.org {
		return nil, inkform.Errorf(inkform.ENOTFOUND, "form not found")
	}
	pos := 0
	if after != "" {
		var err error
		if pos, err = strconv.Atoi(after); err != nil || pos < 0 {
			return nil, inkform.Errorf(inkform.EINVALID, "the feed cursor %q is not one the feed handed out", after)
		}
	}
	page := &inkform.FeedPage{Next: after}
	for i := pos; i < len(docs) && len(page.Documents) < limit; i++ {
		page.Documents = append(page.Documents, docs[i])
		page.Next = strconv.Itoa(i + 1)
	}
	return page, nil
}

func TestFormFeed(t *testing.T) {
	t.Parallel()
	formID := inkform.NewID()
	feed := &fakeFeed{forms: map[string][]*inkform.Document{formID: {
		{ID: inkform.NewID(), FormID: formID, Status: inkform.StatusValidated},
		{ID: inkform.NewID(), FormID: formID, Status: inkform.StatusValidated},
		{ID: inkform.NewID(), FormID: formID, Status: inkform.StatusValidated},
	}}}
	rec := &fake.Recorder{}
	e := newEnv(t, func(s *Server) { s.Feed, s.Audit = feed, &fake.Audit{Hook: rec.Hook} })
	feed.org = e.orgID
	base := "/api/v1/forms/" + formID + "/feed"

	get := func(t *testing.T, role inkform.Role, target string) (*inkform.FeedPage, int) {
		t.Helper()
		w := e.do(t, role, "GET", target, "", "")
		if w.Code != http.StatusOK {
			return nil, w.Code
		}
		var p inkform.FeedPage
		decodeJSONBody(t, w, &p)
		return &p, w.Code
	}
	p1, _ := get(t, inkform.RoleIntegrator, base+"?limit=2")
	if p1 == nil || len(p1.Documents) != 2 || p1.Next != "2" || p1.Documents[0].ID != feed.forms[formID][0].ID {
		t.Fatalf("first page %+v", p1)
	}
	p2, _ := get(t, inkform.RoleVerifier, base+"?after="+p1.Next)
	if p2 == nil || len(p2.Documents) != 1 || p2.Next != "3" {
		t.Fatalf("second page %+v", p2)
	}
	// Nothing new: an empty list (not null) and the same cursor.
	w := e.do(t, inkform.RoleDesigner, "GET", base+"?after=3", "", "")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"documents":[]`) || !strings.Contains(w.Body.String(), `"next":"3"`) {
		t.Fatalf("poll with nothing new: %d %s", w.Code, w.Body)
	}
	if got, want := feed.calls[0], formID+"  2"; got != want {
		t.Errorf("store asked %q, want %q", got, want)
	}
	if got, want := feed.calls[1], formID+" 2 "+strconv.Itoa(DefaultPageLimit); got != want {
		t.Errorf("store asked %q, want the default limit: %q", got, want)
	}
	// Every document sent is recorded as read.
	if got := auditActions(rec); len(got) != 3 || got[0] != "document.read document feed" {
		t.Errorf("audit events %v, want a feed read per document", got)
	}

	tests := []struct {
		name   string
		role   inkform.Role
		target string
		status int
	}{
		{"no token", "", base, http.StatusUnauthorized},
		{"gateway may not read documents", inkform.RoleGateway, base, http.StatusForbidden},
		{"malformed form ID", inkform.RoleAdmin, "/api/v1/forms/nope/feed", http.StatusNotFound},
		{"unknown form", inkform.RoleAdmin, "/api/v1/forms/" + inkform.NewID() + "/feed", http.StatusNotFound},
		{"malformed cursor", inkform.RoleAdmin, base + "?after=x", http.StatusBadRequest},
		{"huge cursor", inkform.RoleAdmin, base + "?after=" + strings.Repeat("1", 65), http.StatusBadRequest},
		{"limit zero", inkform.RoleAdmin, base + "?limit=0", http.StatusBadRequest},
		{"limit too big", inkform.RoleAdmin, base + "?limit=501", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := e.do(t, tt.role, "GET", tt.target, "", "")
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			decodeProblem(t, w)
		})
	}
}

func TestFormFeedUnavailableAndAuditFailure(t *testing.T) {
	t.Parallel()
	formID := inkform.NewID()
	e := newEnv(t)
	w := e.do(t, inkform.RoleAdmin, "GET", "/api/v1/forms/"+formID+"/feed", "", "")
	if w.Code != http.StatusServiceUnavailable {
		t.Fatalf("without a feed: %d %s", w.Code, w.Body)
	}

	feed := &fakeFeed{forms: map[string][]*inkform.Document{formID: {{ID: inkform.NewID(), FormID: formID}}}}
	e = newEnv(t, func(s *Server) {
		s.Feed, s.Audit = feed, &fake.Audit{Hook: fake.FailOn("RecordAudit", errors.New("disk full"))}
	})
	feed.org = e.orgID
	w = e.do(t, inkform.RoleAdmin, "GET", "/api/v1/forms/"+formID+"/feed", "", "")
	if w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), feed.forms[formID][0].ID) {
		t.Fatalf("a read that cannot be audited was answered: %d %s", w.Code, w.Body)
	}
}
