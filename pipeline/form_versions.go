package pipeline

import (
	"context"
	"sync"

	"github.com/inkform/inkform"
)

// formVersionEntries is how many form versions a worker keeps.
const formVersionEntries = 64

// formFinder is the one method of inkform.FormService that loadDocument
// needs.
type formFinder interface {
	FindFormVersion(ctx context.Context, orgID, formID string, version int) (*inkform.Form, error)
}

// formVersions keeps the form versions a worker (render, interpret) has
// read. A version never
// changes once stored (UpdateForm stores the next version; forms are not
// deleted), so an entry needs no check against the store, and every render
// of a form's documents saves reading and decoding its template. The forms
// are shared between the worker's jobs and must only be read. The zero
// value is ready to use.
type formVersions struct {
	mu      sync.Mutex
	entries map[formVersionKey]*inkform.Form
	order   []formVersionKey // least recently added first
}

type formVersionKey struct {
	org, form string
	version   int
}

// cachedForms finds form versions in cache before asking forms.
type cachedForms struct {
	cache *formVersions
	forms inkform.FormService
}

// FindFormVersion implements formFinder.
func (c cachedForms) FindFormVersion(ctx context.Context, orgID, formID string, version int) (*inkform.Form, error) {
	k := formVersionKey{orgID, formID, version}
	c.cache.mu.Lock()
	f := c.cache.entries[k]
	c.cache.mu.Unlock()
	if f != nil {
		return f, nil
	}
	f, err := c.forms.FindFormVersion(ctx, orgID, formID, version)
	if err != nil {
		return nil, err
	}
	c.cache.put(k, f)
	return f, nil
}

// put stores a form version, dropping the oldest beyond formVersionEntries.
func (c *formVersions) put(k formVersionKey, f *inkform.Form) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[formVersionKey]*inkform.Form{}
	}
	if _, ok := c.entries[k]; !ok {
		c.order = append(c.order, k)
	}
	c.entries[k] = f
	for len(c.order) > formVersionEntries {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
}
