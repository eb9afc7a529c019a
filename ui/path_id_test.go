package ui

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/inkform/inkform"
)

// TestPathID: the IDs inkform makes pass, and field names with their
// underscores where a route names a field.
func TestPathID(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, value string
		want        bool
	}{
		{"id", inkform.NewID(), true},
		{"id", "12345", true},
		{"form", "intake-form-2", true},
		{"version", "3", true},
		{"name", "blood_pressure", true},
		{"name", "Q1", true},
		{"id", strings.Repeat("a", maxPathValue), true},
		{"id", strings.Repeat("a", maxPathValue+1), false},
		{"name", strings.Repeat("a", maxPathValue+1), false},
		{"id", "", false},
		{"id", "under_score", false},
		{"id", "a.b", false},
		{"id", "a/b", false},
		{"id", "a b", false},
		{"id", "a'b", false},
		{"id", "a\x00b", false},
		{"id", "ünï", false},
		{"name", "a.b", false},
		{"name", "a%b", false},
	} {
		if got := validPathValue(c.name, c.value); got != c.want {
			t.Errorf("validPathValue(%q, %q) = %v, want %v", c.name, c.value, got, c.want)
		}
	}
	if got := pathWildcards("GET /verify/documents/{id}/fields/{name}/cutout.png"); strings.Join(got, " ") != "id name" {
		t.Errorf("wildcards = %q", got)
	}
	if got := pathWildcards("GET /static/{name...}"); len(got) != 0 {
		t.Errorf("a {rest...} wildcard is checked: %q", got)
	}
	if got := pathWildcards("GET /{$}"); len(got) != 0 {
		t.Errorf("{$} is checked: %q", got)
	}
}

// countedDocuments counts the documents looked up.
type countedDocuments struct {
	inkform.DocumentService
	finds *atomic.Int32
}

func (d countedDocuments) FindDocument(ctx context.Context, orgID, id string) (*inkform.Document, error) {
	d.finds.Add(1)
	return d.DocumentService.FindDocument(ctx, orgID, id)
}

// TestPathIDRefused: every route of the console, with a bad value in any
// of its wildcards, answers 404 before its handler runs, so no store sees
// the value; a good value still reaches the store.
func TestPathIDRefused(t *testing.T) {
	t.Parallel()
	var finds atomic.Int32
	h := newHarness(t, func(s *Server) { s.Documents = countedDocuments{s.Documents, &finds} })
	h.user(h.org("Clinic"), "boss@example.org", inkform.RoleAdmin, password)
	b := h.browser(t)
	b.mustSignIn("boss@example.org", password)
	bad := []string{"a%2Fb", "a.b", "a%00b", "a%20b", "%C3%BC", "a%27b", "1;DROP", strings.Repeat("7", maxPathValue+1)}
	routes := 0
	for _, rt := range h.srv.routes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		names := pathWildcards(rt.pattern)
		if len(names) == 0 {
			continue
		}
		routes++
		for _, name := range names {
			for _, value := range bad {
				p := path
				for _, other := range names {
					v := "x1"
					if other == name {
						v = value
					}
					p = strings.Replace(p, "{"+other+"}", v, 1)
				}
				got := b.do(method, p, nil)
				if got.StatusCode != http.StatusNotFound || !strings.Contains(got.body, pathRefused) {
					t.Errorf("%s %s: %d, want 404 from the path check:\n%s", method, p, got.StatusCode, got.body)
				}
			}
		}
	}
	if routes < 10 {
		t.Fatalf("only %d routes with path values", routes)
	}
	if n := finds.Load(); n != 0 {
		t.Errorf("bad path values reached the store %d times", n)
	}
	b.get("/documents/"+inkform.NewID()).wantStatus(t, "an unknown but well-formed document", http.StatusNotFound)
	if n := finds.Load(); n == 0 {
		t.Error("a well-formed document ID did not reach the store")
	}
}
