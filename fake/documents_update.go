package fake

import (
	"context"
	"maps"
	"slices"

	"github.com/inkform/inkform"
)

var _ inkform.DocumentUpdater = (*Documents)(nil)

// write calls the hook, then fn with the org's document under the lock,
// and returns a copy of the document as fn left it; ENOTFOUND when the
// org has no such document.
func (d *Documents) write(method string, args []any, orgID, id string, fn func(rec *docRec)) (*inkform.Document, error) {
	if err := d.Hook.call(method, args...); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	rec := d.docs[id]
	if rec == nil || rec.doc.OrgID != orgID {
		return nil, notFound("document")
	}
	fn(rec)
	return cloneDocument(rec.doc), nil
}

// setStatus moves rec to status, recording the change when there is one.
func (rec *docRec) setStatus(status inkform.DocumentStatus, cause string) {
	at := now()
	if status != rec.doc.Status {
		rec.changes = append(rec.changes, inkform.StatusChange{From: rec.doc.Status, To: status, Cause: cause, At: at})
	}
	rec.doc.Status, rec.doc.UpdatedAt = status, at
}

// SaveInterpretation implements inkform.DocumentUpdater; values a verifier
// set are kept.
func (d *Documents) SaveInterpretation(ctx context.Context, orgID, id string, in *inkform.Interpretation) (bool, error) {
	saved := false
	_, err := d.write("SaveInterpretation", []any{orgID, id, in}, orgID, id, func(rec *docRec) {
		if rec.ink.Rows != in.InkRows {
			return
		}
		rec.doc.Fields, saved = in.Apply(rec.doc.Fields), true
		rec.setStatus(in.Status, in.Cause)
	})
	return saved, err
}

// UpdateFields implements inkform.DocumentUpdater, recording a field
// change for each value that changed.
func (d *Documents) UpdateFields(ctx context.Context, orgID, id string, fields map[string]inkform.FieldValue, by, cause string) (*inkform.Document, error) {
	return d.write("UpdateFields", []any{orgID, id, fields, by, cause}, orgID, id, func(rec *docRec) {
		at := now()
		rec.doc.Fields = maps.Clone(rec.doc.Fields)
		if rec.doc.Fields == nil {
			rec.doc.Fields = map[string]inkform.FieldValue{}
		}
		for _, name := range slices.Sorted(maps.Keys(fields)) {
			old, v := rec.doc.Fields[name], fields[name]
			if !inkform.SameValue(old.Value, v.Value) {
				rec.fields = append(rec.fields, inkform.FieldChange{Field: name, From: old.Value, To: v.Value,
					Source: v.Source, By: by, Cause: cause, At: at})
			}
			rec.doc.Fields[name] = v
		}
		rec.doc.UpdatedAt = at
	})
}

// SetStatus implements inkform.DocumentUpdater.
func (d *Documents) SetStatus(ctx context.Context, orgID, id string, status inkform.DocumentStatus, cause string) (*inkform.Document, error) {
	return d.write("SetStatus", []any{orgID, id, status, cause}, orgID, id, func(rec *docRec) {
		rec.setStatus(status, cause)
	})
}
