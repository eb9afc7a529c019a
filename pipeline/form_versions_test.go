package pipeline

import (
	"context"
	"fmt"
	"testing"

	"github.com/inkform/inkform"
)

// countingForms answers FindFormVersion for versions up to 100 and counts
// the calls.
type countingForms struct {
	inkform.FormService
	calls int
}

func (c *countingForms) FindFormVersion(ctx context.Context, orgID, formID string, version int) (*inkform.Form, error) {
	c.calls++
	if version > 100 {
		return nil, inkform.Errorf(inkform.ENOTFOUND, "form version %d not found", version)
	}
	return &inkform.Form{ID: formID, OrgID: orgID, Version: version}, nil
}

// TestFormVersions checks the render worker's form cache: a version read
// once is not read again, other orgs, forms and versions are separate
// entries, errors are not kept, and the oldest entries go beyond the
// bound.
func TestFormVersions(t *testing.T) {
	t.Parallel()
	type find struct {
		org, form string
		version   int
	}
	tests := []struct {
		name      string
		finds     []find
		wantCalls int
	}{
		{"same version twice", []find{{"o", "f", 1}, {"o", "f", 1}}, 1},
		{"other version", []find{{"o", "f", 1}, {"o", "f", 2}, {"o", "f", 1}}, 2},
		{"other form and org", []find{{"o", "f", 1}, {"o", "g", 1}, {"p", "f", 1}, {"p", "f", 1}}, 3},
		{"errors are not kept", []find{{"o", "f", 101}, {"o", "f", 101}}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			store := &countingForms{}
			c := cachedForms{&formVersions{}, store}
			for _, f := range tt.finds {
				got, err := c.FindFormVersion(context.Background(), f.org, f.form, f.version)
				if f.version > 100 {
					if inkform.ErrorCode(err) != inkform.ENOTFOUND {
						t.Errorf("version %d: %v, want not found", f.version, err)
					}
					continue
				}
				if err != nil || got.OrgID != f.org || got.ID != f.form || got.Version != f.version {
					t.Errorf("find %+v = %+v, %v", f, got, err)
				}
			}
			if store.calls != tt.wantCalls {
				t.Errorf("store asked %d times, want %d", store.calls, tt.wantCalls)
			}
		})
	}
	t.Run("bound", func(t *testing.T) {
		t.Parallel()
		store := &countingForms{}
		c := cachedForms{&formVersions{}, store}
		ctx := context.Background()
		for i := range formVersionEntries + 1 {
			if _, err := c.FindFormVersion(ctx, "o", fmt.Sprint("f", i), 1); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(c.cache.entries); n != formVersionEntries {
			t.Errorf("%d entries, want %d", n, formVersionEntries)
		}
		store.calls = 0
		c.FindFormVersion(ctx, "o", "f0", 1)                                // dropped: read again
		c.FindFormVersion(ctx, "o", fmt.Sprint("f", formVersionEntries), 1) // kept
		if store.calls != 1 {
			t.Errorf("store asked %d times, want 1 (the oldest form only)", store.calls)
		}
	})
}
