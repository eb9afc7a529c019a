package http

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

func newDocEnv(t *testing.T) (*testEnv, *inkform.Document) {
	t.Helper()
	e := newEnv(t)
	doc := &inkform.Document{ID: inkform.NewID(), OrgID: e.orgID, FormID: inkform.NewID(), Status: inkform.StatusValidated,
		Pages: []inkform.DocumentPage{{Number: 1, Address: "70.3.12.5", Strokes: 1}}}
	e.docs.Put(doc, &inkform.DocumentInk{PenID: "AJX-AAB-7KH-6P",
		Pages: []inkform.PageInk{{Address: "70.3.12.5", Strokes: []inkform.Stroke{{Points: []inkform.Point{{X: 1, Y: 2}, {X: 3, Y: 4}}}}}}},
		inkform.StatusChange{To: inkform.StatusReceived, Cause: "captured", At: time.Unix(0, 0).UTC()})
	return e, doc
}

func TestDocumentListFilter(t *testing.T) {
	t.Parallel()
	e, doc := newDocEnv(t)
	formID, after := inkform.NewID(), inkform.NewID()
	q := url.Values{"form": {formID}, "status": {"validated"}, "since": {"2026-01-01T00:00:00Z"},
		"until": {"2026-02-01T00:00:00+01:00"}, "after": {after}, "limit": {"10"}}
	w := e.do(t, inkform.RoleIntegrator, "GET", "/api/v1/documents?"+q.Encode(), "", "")
	var res struct {
		Documents []inkform.Document `json:"documents"`
		Next      string             `json:"next"`
	}
	decodeJSONBody(t, w, &res)
	if len(res.Documents) != 0 || res.Next != "" {
		t.Errorf("response %+v; no document matches", res)
	}
	want := inkform.DocumentFilter{FormID: formID, Status: inkform.StatusValidated,
		Since: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 1, 31, 23, 0, 0, 0, time.UTC),
		After: after, Limit: 10}
	got, _ := e.lastArg("ListDocuments", 1).(inkform.DocumentFilter)
	if got.FormID != want.FormID || got.Status != want.Status || !got.Since.Equal(want.Since) ||
		!got.Until.Equal(want.Until) || got.After != want.After || got.Limit != want.Limit {
		t.Errorf("filter %+v, want %+v", got, want)
	}

	// The store's page and cursor come back as they are.
	other := &inkform.Document{ID: inkform.NewID(), OrgID: e.orgID, FormID: doc.FormID, Status: inkform.StatusValidated}
	e.docs.Put(other, nil)
	first := min(doc.ID, other.ID)
	decodeJSONBody(t, e.do(t, inkform.RoleIntegrator, "GET", "/api/v1/documents?limit=1", "", ""), &res)
	if len(res.Documents) != 1 || res.Documents[0].ID != first || res.Next != first {
		t.Errorf("response %+v; want document %s and its ID as the cursor", res, first)
	}
}

func TestDocumentListBadParams(t *testing.T) {
	t.Parallel()
	e, _ := newDocEnv(t)
	tests := []struct{ query, param string }{
		{"form=abc", "form"},
		{"status=done", "status"},
		{"since=yesterday", "since"},
		{"until=2026-13-01T00:00:00Z", "until"},
		{"since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z", "until"},
		{"after=1", "after"},
		{"limit=-1", "limit"},
	}
	for _, tt := range tests {
		w := e.do(t, inkform.RoleIntegrator, "GET", "/api/v1/documents?"+tt.query, "", "")
		p := decodeProblem(t, w)
		if w.Code != 400 || len(p.Problems) != 1 || p.Problems[0].Path != tt.param || !strings.Contains(p.Detail, tt.param) {
			t.Errorf("%s: %d %+v", tt.query, w.Code, p)
		}
	}
}

func TestDocumentShowInkHistory(t *testing.T) {
	t.Parallel()
	e, doc := newDocEnv(t)
	var got inkform.Document
	decodeJSONBody(t, e.do(t, inkform.RoleVerifier, "GET", "/api/v1/documents/"+doc.ID, "", ""), &got)
	if got.ID != doc.ID || got.Status != inkform.StatusValidated {
		t.Errorf("document %+v", got)
	}

	w := e.do(t, inkform.RoleVerifier, "GET", "/api/v1/documents/"+doc.ID+"/ink", "", "")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/inkml+xml" ||
		!strings.Contains(w.Body.String(), "<ink") || !strings.Contains(w.Body.String(), "70.3.12.5") {
		t.Errorf("ink: %d %s %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}

	var hist struct{ Changes []inkform.StatusChange }
	decodeJSONBody(t, e.do(t, inkform.RoleVerifier, "GET", "/api/v1/documents/"+doc.ID+"/history", "", ""), &hist)
	if len(hist.Changes) != 1 || hist.Changes[0].To != inkform.StatusReceived {
		t.Errorf("history %+v", hist)
	}

	for _, suffix := range []string{"", "/ink", "/history"} {
		if w := e.do(t, inkform.RoleVerifier, "GET", "/api/v1/documents/"+inkform.NewID()+suffix, "", ""); w.Code != 404 {
			t.Errorf("unknown document%s: %d", suffix, w.Code)
		}
	}
}
