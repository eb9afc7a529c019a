package http

import (
	"context"
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
		inkform.DocumentPDFKey(e.orgID, id, time.Unix(1, 0), ""),
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
