package fake

import (
	"context"
	"maps"
	"slices"
	"sync"

	"github.com/inkform/inkform"
)

var _ inkform.EntryStore = (*Entries)(nil)

// Entries is an in-memory EntryStore. It needs Documents, whose documents
// the entries are of and whose UpdateFields records the field history.
type Entries struct {
	Hook      Hook
	Documents *Documents

	mu      sync.Mutex
	entries map[string][]inkform.Entry // by document ID, oldest first
}

// exists reports whether the org has the document.
func (d *Documents) exists(orgID, id string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	rec := d.docs[id]
	return rec != nil && rec.doc.OrgID == orgID
}

// AddEntries implements inkform.EntryStore.
func (e *Entries) AddEntries(ctx context.Context, orgID, docID, userID string, values map[string]any) error {
	if err := e.Hook.call("AddEntries", orgID, docID, userID, values); err != nil {
		return err
	}
	if !e.Documents.exists(orgID, docID) {
		return notFound("document")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, old := range e.entries[docID] {
		if _, ok := values[old.Field]; ok && old.UserID == userID {
			return inkform.Errorf(inkform.ECONFLICT, "%s already typed %s on this document", userID, old.Field)
		}
	}
	if e.entries == nil {
		e.entries = map[string][]inkform.Entry{}
	}
	at := now()
	for _, name := range slices.Sorted(maps.Keys(values)) {
		e.entries[docID] = append(e.entries[docID], inkform.Entry{DocumentID: docID, Field: name, UserID: userID, Value: values[name], At: at})
	}
	return nil
}

// ListEntries implements inkform.EntryStore.
func (e *Entries) ListEntries(ctx context.Context, orgID, docID string) ([]inkform.Entry, error) {
	if err := e.Hook.call("ListEntries", orgID, docID); err != nil {
		return nil, err
	}
	if !e.Documents.exists(orgID, docID) {
		return nil, notFound("document")
	}
	return e.of(docID), nil
}

// of returns a copy of a document's entries, never nil.
func (e *Entries) of(docID string) []inkform.Entry {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]inkform.Entry{}, e.entries[docID]...)
}

// ListFieldChanges implements inkform.EntryStore: the changes
// Documents.UpdateFields recorded.
func (e *Entries) ListFieldChanges(ctx context.Context, orgID, docID string) ([]inkform.FieldChange, error) {
	if err := e.Hook.call("ListFieldChanges", orgID, docID); err != nil {
		return nil, err
	}
	var out []inkform.FieldChange
	err := e.Documents.read("", orgID, docID, func(rec *docRec) {
		out = append([]inkform.FieldChange{}, rec.fields...)
	})
	return out, err
}
