package http

import (
	"context"
	"io"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
)

// fakePurger removes documents from a fake.Documents and records its calls.
type fakePurger struct {
	mu     sync.Mutex
	docs   *fake.Documents
	actors []string
}

func (f *fakePurger) PurgeDocument(ctx context.Context, orgID, id, actor string) error {
	if !f.docs.Delete(orgID, id) {
		return inkform.Errorf(inkform.ENOTFOUND, "document not found")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.actors = append(f.actors, actor)
	return nil
}

func TestDocumentDelete(t *testing.T) {
	t.Parallel()
	blobs := &fakeBlobs{objects: map[string][]byte{}}
	var purger *fakePurger
	e := newEnv(t, func(s *Server) {
		purger = &fakePurger{}
		s.Purger, s.Blobs = purger, blobs
	})
	purger.docs = e.docs
	id, otherID, otherOrg := inkform.NewID(), inkform.NewID(), inkform.NewID()
	e.docs.Put(&inkform.Document{ID: id, OrgID: e.orgID}, nil)
	kept := []string{
		inkform.DocumentBlobPrefix(e.orgID, otherID) + "pdf/1.pdf",
		inkform.DocumentBlobPrefix(otherOrg, id) + "pdf/1.pdf", // the same ID in another org's space
		inkform.FormBackgroundKey(e.orgID, inkform.NewID(), 1),
	}
	ours := []string{
		inkform.DocumentPDFKey(e.orgID, id, time.Unix(1, 0)),
		inkform.CutoutKey(e.orgID, id, "abc", "patient", 200, "png"),
	}
	put := func(keys ...string) {
		for _, k := range keys {
			blobs.objects[k] = []byte("x")
		}
	}
	put(append(kept, ours...)...)

	path := "/api/v1/documents/" + id
	steps := []struct {
		name   string
		role   inkform.Role
		before func()
		status int
	}{
		{"verifier may not purge", inkform.RoleVerifier, nil, 403},
		{"integrator purges", inkform.RoleIntegrator, nil, 204},
		{"again: nothing left", inkform.RoleAdmin, nil, 404},
		// A purge whose blob deletion failed half-way left objects: the
		// retry finds the document gone but deletes them.
		{"retry finishes a half-done purge", inkform.RoleAdmin, func() { put(ours[1]) }, 204},
	}
	for _, st := range steps {
		if st.before != nil {
			st.before()
		}
		if w := e.do(t, st.role, "DELETE", path, "", ""); w.Code != st.status {
			t.Fatalf("%s: %d, want %d: %s", st.name, w.Code, st.status, w.Body)
		}
	}
	slices.Sort(kept)
	if got := blobs.keys(); !slices.Equal(got, kept) {
		t.Errorf("objects left %q, want only %q", got, kept)
	}
	integrator, _ := e.tokens.Authenticate(context.Background(), e.secrets[inkform.RoleIntegrator])
	if len(purger.actors) != 1 || integrator == nil || purger.actors[0] != "token "+integrator.ID {
		t.Errorf("purges by %q, want one by the integrator's token", purger.actors)
	}
	if w := newEnv(t).do(t, inkform.RoleAdmin, "DELETE", path, "", ""); w.Code != 503 {
		t.Errorf("without a purger: %d, want 503", w.Code)
	}
}

// purgingBlobs is a fakeBlobs that runs onPut before each Put: a purge
// landing while a cutout is being drawn.
type purgingBlobs struct {
	*fakeBlobs
	onPut func()
}

func (p *purgingBlobs) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if p.onPut != nil {
		p.onPut()
	}
	return p.fakeBlobs.Put(ctx, key, r, size, contentType)
}

// TestCutoutCacheDuringPurge checks that a cutout drawn while its document
// is purged is not left in the cache, and is cached otherwise.
func TestCutoutCacheDuringPurge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		purge bool
		kept  int
	}{
		{"no purge: cached", false, 1},
		{"purged meanwhile: not kept", true, 0},
	}
	for _, tt := range tests {
		blobs := &purgingBlobs{fakeBlobs: &fakeBlobs{objects: map[string][]byte{}}}
		e := newEnv(t, func(s *Server) { s.Blobs = blobs })
		form := cutoutForm()
		form.ID, form.OrgID, form.Version = inkform.NewID(), e.orgID, 1
		e.forms.Put(form)
		doc := &inkform.Document{ID: inkform.NewID(), OrgID: e.orgID, FormID: form.ID, FormVersion: 1,
			Pages: []inkform.DocumentPage{{Number: 1, Address: "1.2.3.4"}}}
		e.docs.Put(doc, &inkform.DocumentInk{SHA256: "abcdef"})
		if tt.purge {
			blobs.onPut = func() { e.docs.Delete(e.orgID, doc.ID) }
		}
		if w := e.do(t, inkform.RoleVerifier, "GET", "/api/v1/documents/"+doc.ID+"/fields/a/cutout.png", "", ""); w.Code != 200 {
			t.Fatalf("%s: cutout %d %s", tt.name, w.Code, w.Body)
		}
		if got := len(blobs.keys()); got != tt.kept {
			t.Errorf("%s: %d cached object(s), want %d", tt.name, got, tt.kept)
		}
	}
}
