package http

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
)

// auditActions lists the events recorded through rec, in the order
// recorded, as "action kind detail".
func auditActions(rec *fake.Recorder) []string {
	var out []string
	for _, c := range rec.Calls("RecordAudit") {
		for _, a := range c.Args[1:] {
			e := a.(*inkform.AuditEvent)
			out = append(out, strings.TrimSpace(e.Action+" "+e.Object.Kind+" "+e.Detail))
		}
	}
	return out
}

// fakeBlobs is an in-memory blob store.
type fakeBlobs struct {
	mu      sync.Mutex
	objects map[string][]byte
}

func (f *fakeBlobs) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.objects[key] = data
	return nil
}

func (f *fakeBlobs) Get(ctx context.Context, key string) (io.ReadCloser, *inkform.BlobInfo, error) {
	info, err := f.Stat(ctx, key)
	if err != nil {
		return nil, nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return io.NopCloser(bytes.NewReader(f.objects[key])), info, nil
}

func (f *fakeBlobs) Stat(ctx context.Context, key string) (*inkform.BlobInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	data, ok := f.objects[key]
	if !ok {
		return nil, inkform.Errorf(inkform.ENOTFOUND, "no object %s", key)
	}
	return &inkform.BlobInfo{Key: key, Size: int64(len(data))}, nil
}

func (f *fakeBlobs) Delete(ctx context.Context, key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.objects, key)
	return nil
}

func (f *fakeBlobs) List(ctx context.Context, prefix string, fn func(inkform.BlobInfo) error) error {
	f.mu.Lock()
	var keys []string
	for k := range f.objects {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	f.mu.Unlock()
	sort.Strings(keys)
	for _, k := range keys {
		if err := fn(inkform.BlobInfo{Key: k}); err != nil {
			return err
		}
	}
	return nil
}

// keys lists the stored keys in order.
func (f *fakeBlobs) keys() []string {
	var out []string
	_ = f.List(context.Background(), "", func(b inkform.BlobInfo) error {
		out = append(out, b.Key)
		return nil
	})
	return out
}

// TestAuditRecordsReadsWithoutValues reads a document every way there is
// and checks that each read is recorded, by the caller's token, without the
// document's values.
func TestAuditRecordsReadsWithoutValues(t *testing.T) {
	t.Parallel()
	rec := &fake.Recorder{}
	e := newEnv(t, func(s *Server) { s.Audit = &fake.Audit{Hook: rec.Hook} })
	doc := &inkform.Document{ID: inkform.NewID(), OrgID: e.orgID, Status: inkform.StatusReceived,
		Fields: map[string]inkform.FieldValue{"patient": {Value: "Secret Name 407215"}}}
	e.docs.Put(doc, &inkform.DocumentInk{PenID: "AJX-AAB-7KH-6P"})
	for _, path := range []string{"", "/ink", "/history"} {
		if w := e.do(t, inkform.RoleVerifier, "GET", "/api/v1/documents/"+doc.ID+path, "", ""); w.Code != 200 {
			t.Fatalf("GET %s: %d %s", path, w.Code, w.Body)
		}
	}
	if w := e.do(t, inkform.RoleIntegrator, "GET", "/api/v1/documents", "", ""); w.Code != 200 {
		t.Fatalf("list: %d %s", w.Code, w.Body)
	}
	// A document of another org is not read, so nothing is recorded.
	if w := e.do(t, inkform.RoleVerifier, "GET", "/api/v1/documents/"+inkform.NewID(), "", ""); w.Code != 404 {
		t.Fatalf("GET unknown document: %d", w.Code)
	}
	want := []string{"document.read document document", "document.read document ink", "document.read document history", "document.read document list"}
	if got := auditActions(rec); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("recorded %q, want %q", got, want)
	}
	w := e.do(t, inkform.RoleAdmin, "GET", "/api/v1/audit?action=document.read", "", "")
	if w.Code != 200 {
		t.Fatalf("GET audit: %d %s", w.Code, w.Body)
	}
	body := w.Body.String()
	if strings.Contains(body, "407215") || strings.Contains(body, "Secret Name") || strings.Contains(body, "AJX-AAB") {
		t.Errorf("the audit log shows document content: %s", body)
	}
	var resp auditListResponse
	decodeJSONBody(t, w, &resp)
	if len(resp.Events) != 4 || !strings.HasPrefix(resp.Events[0].Actor, "token ") || resp.Events[0].Object.ID != doc.ID {
		t.Errorf("audit events %+v", resp.Events)
	}
	if f, _ := rec.Last("ListAudit")[1].(inkform.AuditFilter); f.Action != inkform.AuditDocumentRead {
		t.Errorf("filter %+v did not reach the log", f)
	}
}

// TestAuditFailureRefusesRead checks that a read the log cannot record is
// not served.
func TestAuditFailureRefusesRead(t *testing.T) {
	t.Parallel()
	audit := &fake.Audit{Hook: fake.FailOn("RecordAudit", errors.New("disk full"))}
	e := newEnv(t, func(s *Server) { s.Audit = audit })
	doc := &inkform.Document{ID: inkform.NewID(), OrgID: e.orgID,
		Fields: map[string]inkform.FieldValue{"patient": {Value: "407215"}}}
	e.docs.Put(doc, nil)
	w := e.do(t, inkform.RoleVerifier, "GET", "/api/v1/documents/"+doc.ID, "", "")
	if w.Code != 500 || strings.Contains(w.Body.String(), "407215") {
		t.Errorf("unrecorded read answered %d: %s", w.Code, w.Body)
	}
}

func TestAuditListParams(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s *Server) { s.Audit = &fake.Audit{} })
	tests := []struct {
		role   inkform.Role
		query  string
		status int
	}{
		{inkform.RoleAdmin, "", 200},
		{inkform.RoleAdmin, "?action=token.create&kind=token&object=" + inkform.NewID() + "&actor=token+x&since=2026-01-01T00:00:00Z&until=2026-02-01T00:00:00Z&limit=5", 200},
		{inkform.RoleAdmin, "?action=DROP%20TABLE", 400},
		{inkform.RoleAdmin, "?kind=doc.ument", 400},
		{inkform.RoleAdmin, "?object=x", 400},
		{inkform.RoleAdmin, "?actor=" + strings.Repeat("a", 65), 400},
		{inkform.RoleAdmin, "?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z", 400},
		{inkform.RoleAdmin, "?limit=0", 400},
		{inkform.RoleVerifier, "", 403},
		{inkform.RoleIntegrator, "", 403},
		{"", "", 401},
	}
	for _, tt := range tests {
		if w := e.do(t, tt.role, "GET", "/api/v1/audit"+tt.query, "", ""); w.Code != tt.status {
			t.Errorf("%s %s: %d, want %d: %s", tt.role, tt.query, w.Code, tt.status, w.Body)
		}
	}
	if w := newEnv(t).do(t, inkform.RoleAdmin, "GET", "/api/v1/audit", "", ""); w.Code != 503 {
		t.Errorf("without an audit log: %d, want 503", w.Code)
	}
}
