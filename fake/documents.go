package fake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/inkform/inkform"
)

var _ inkform.DocumentService = (*Documents)(nil)

// Documents is an in-memory DocumentService over documents a test puts in.
// Making documents is capture's work, which needs the whole store (forms,
// ink encoding, jobs), so this fake has the read side only; sqlstore's own
// tests cover capture.
type Documents struct {
	Hook Hook

	mu   sync.Mutex
	docs map[string]*docRec
}

// docRec is a stored document with its ink and history.
type docRec struct {
	doc     *inkform.Document
	ink     *inkform.DocumentInk
	changes []inkform.StatusChange
	fields  []inkform.FieldChange
}

// Put stores a copy of doc with its ink and status history, replacing a
// document with the same ID. A nil ink is ink of no pages; with no
// changes, the history is one change into the document's status at its
// CreatedAt, caused by "captured". An ink without SHA256 gets the hash of
// its JSON encoding, and Rows of 0 becomes 1, so the ink has a version as
// stored ink does.
func (d *Documents) Put(doc *inkform.Document, ink *inkform.DocumentInk, changes ...inkform.StatusChange) {
	rec := &docRec{doc: cloneDocument(doc), changes: slices.Clone(changes)}
	if ink == nil {
		ink = &inkform.DocumentInk{DocumentID: doc.ID, PenID: doc.PenID}
	}
	c := *ink
	c.DocumentID, c.Pages = doc.ID, slices.Clone(ink.Pages)
	if c.PenID == "" {
		c.PenID = doc.PenID
	}
	if c.Pages == nil {
		c.Pages = []inkform.PageInk{}
	}
	if c.SHA256 == "" {
		b, _ := json.Marshal(c.Pages)
		sum := sha256.Sum256(b)
		c.SHA256 = hex.EncodeToString(sum[:])
	}
	if c.Rows == 0 && len(c.Pages) > 0 {
		c.Rows = 1
	}
	rec.ink = &c
	if len(rec.changes) == 0 {
		rec.changes = []inkform.StatusChange{{To: doc.Status, Cause: "captured", At: doc.CreatedAt}}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.docs == nil {
		d.docs = map[string]*docRec{}
	}
	d.docs[doc.ID] = rec
}

// Delete removes a document of the org, as a purge does, and reports
// whether there was one.
func (d *Documents) Delete(orgID, id string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if rec := d.docs[id]; rec != nil && rec.doc.OrgID == orgID {
		delete(d.docs, id)
		return true
	}
	return false
}

// cloneDocument copies a document so that neither side's changes to its
// pages and fields reach the other.
func cloneDocument(doc *inkform.Document) *inkform.Document {
	c := *doc
	c.Pages = slices.Clone(doc.Pages)
	c.Fields = maps.Clone(doc.Fields)
	return &c
}

// read calls the hook, then fn with the org's document under the lock;
// ENOTFOUND when the org has no such document. A method of "" is another
// fake's read, which calls its own hook.
func (d *Documents) read(method, orgID, id string, fn func(rec *docRec)) error {
	if method != "" {
		if err := d.Hook.call(method, orgID, id); err != nil {
			return err
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	rec := d.docs[id]
	if rec == nil || rec.doc.OrgID != orgID {
		return notFound("document")
	}
	fn(rec)
	return nil
}

// FindDocument implements inkform.DocumentService.
func (d *Documents) FindDocument(ctx context.Context, orgID, id string) (*inkform.Document, error) {
	var doc *inkform.Document
	err := d.read("FindDocument", orgID, id, func(rec *docRec) { doc = cloneDocument(rec.doc) })
	return doc, err
}

// ListDocuments implements inkform.DocumentService: by ID, which is
// creation order.
func (d *Documents) ListDocuments(ctx context.Context, orgID string, f inkform.DocumentFilter) ([]*inkform.Document, string, error) {
	if err := d.Hook.call("ListDocuments", orgID, f); err != nil {
		return nil, "", err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	out := []*inkform.Document{}
	for _, rec := range d.docs {
		doc := rec.doc
		if doc.OrgID != orgID || !f.Matches(doc) || f.After != "" && doc.ID <= f.After {
			continue
		}
		out = append(out, cloneDocument(doc))
	}
	slices.SortFunc(out, func(a, b *inkform.Document) int { return strings.Compare(a.ID, b.ID) })
	out, next := page(out, inkform.ListLimit(f.Limit), func(doc *inkform.Document) string { return doc.ID })
	return out, next, nil
}

// FindDocumentInk implements inkform.DocumentService.
func (d *Documents) FindDocumentInk(ctx context.Context, orgID, id string) (*inkform.DocumentInk, error) {
	var ink *inkform.DocumentInk
	err := d.read("FindDocumentInk", orgID, id, func(rec *docRec) {
		c := *rec.ink
		c.Pages = slices.Clone(rec.ink.Pages)
		ink = &c
	})
	return ink, err
}

// ListStatusChanges implements inkform.DocumentService.
func (d *Documents) ListStatusChanges(ctx context.Context, orgID, id string) ([]inkform.StatusChange, error) {
	var changes []inkform.StatusChange
	err := d.read("ListStatusChanges", orgID, id, func(rec *docRec) { changes = slices.Clone(rec.changes) })
	return changes, err
}
