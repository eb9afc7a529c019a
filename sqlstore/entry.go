package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/inkform/inkform"
)

var _ inkform.EntryStore = (*DB)(nil)

// rowScanner is a row or rows.
type rowScanner interface{ Scan(dest ...any) error }

// entryColumns are the columns scanEntry reads.
const entryColumns = `SELECT document_id, field, user_id, value, entered_at FROM double_entries `

// scanEntry reads an entry selected by entryColumns.
func scanEntry(r rowScanner) (inkform.Entry, error) {
	var e inkform.Entry
	var value string
	var at int64
	if err := r.Scan(&e.DocumentID, &e.Field, &e.UserID, &value, &at); err != nil {
		return e, fmt.Errorf("scan entry: %w", err)
	}
	if err := json.Unmarshal([]byte(value), &e.Value); err != nil {
		return e, fmt.Errorf("decode entry: %w", err)
	}
	e.At = fromMicros(at)
	return e, nil
}

// AddEntries implements inkform.EntryStore.
func (db *DB) AddEntries(ctx context.Context, orgID, docID, userID string, values map[string]any) error {
	err := db.inWrite(ctx, func(tx querier) error {
		if _, err := db.lockDocument(ctx, tx, orgID, docID); err != nil {
			return err
		}
		now := micros(db.now())
		for _, name := range slices.Sorted(maps.Keys(values)) {
			b, err := json.Marshal(values[name])
			if err != nil {
				return fmt.Errorf("encode %s: %w", name, err)
			}
			res, err := tx.exec(ctx, db.d.insertIgnore(`INSERT INTO double_entries
				(org_id, document_id, field, user_id, value, entered_at) VALUES (?, ?, ?, ?, ?, ?)`),
				orgID, docID, name, userID, string(b), now)
			if err != nil {
				return fmt.Errorf("insert entry: %w", err)
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return inkform.Errorf(inkform.ECONFLICT, "%s already typed %s on this document", userID, name)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("add entries: %w", err)
	}
	return nil
}

// ListEntries implements inkform.EntryStore. It reads the primary: the
// verification workflow reads entries right after adding them.
func (db *DB) ListEntries(ctx context.Context, orgID, docID string) ([]inkform.Entry, error) {
	q := db.primary()
	if _, err := db.findDocument(ctx, q, orgID, docID); err != nil {
		return nil, err
	}
	rows, err := q.query(ctx, entryColumns+`WHERE org_id = ? AND document_id = ? ORDER BY id`, orgID, docID)
	if err != nil {
		return nil, fmt.Errorf("list entries: %w", err)
	}
	defer rows.Close()
	out := []inkform.Entry{}
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list entries: %w", err)
	}
	return out, nil
}

// insertFieldChanges records the changes of a document's fields from old
// to the new values that differ, by by, for UpdateFields.
func (db *DB) insertFieldChanges(ctx context.Context, tx querier, d *inkform.Document, old map[string]inkform.FieldValue,
	fields map[string]inkform.FieldValue, by, cause string) error {
	now := micros(db.now())
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		from, to := old[name].Value, fields[name].Value
		if inkform.SameValue(from, to) {
			continue
		}
		fb, err := json.Marshal(from)
		if err != nil {
			return fmt.Errorf("encode %s: %w", name, err)
		}
		tb, err := json.Marshal(to)
		if err != nil {
			return fmt.Errorf("encode %s: %w", name, err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO field_changes
			(org_id, document_id, field, from_value, to_value, source, changed_by, cause, changed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.OrgID, d.ID, name, string(fb), string(tb), string(fields[name].Source), by, cause, now); err != nil {
			return fmt.Errorf("insert field change: %w", err)
		}
	}
	return nil
}

// ListFieldChanges implements inkform.EntryStore.
func (db *DB) ListFieldChanges(ctx context.Context, orgID, docID string) ([]inkform.FieldChange, error) {
	q := db.primary()
	if _, err := db.findDocument(ctx, q, orgID, docID); err != nil {
		return nil, err
	}
	rows, err := q.query(ctx, `SELECT field, from_value, to_value, source, changed_by, cause, changed_at FROM field_changes
		WHERE org_id = ? AND document_id = ? ORDER BY id`, orgID, docID)
	if err != nil {
		return nil, fmt.Errorf("list field changes: %w", err)
	}
	defer rows.Close()
	out := []inkform.FieldChange{}
	for rows.Next() {
		var c inkform.FieldChange
		var from, to, source string
		var at int64
		if err := rows.Scan(&c.Field, &from, &to, &source, &c.By, &c.Cause, &at); err != nil {
			return nil, fmt.Errorf("list field changes: %w", err)
		}
		if err := json.Unmarshal([]byte(from), &c.From); err != nil {
			return nil, fmt.Errorf("decode field change: %w", err)
		}
		if err := json.Unmarshal([]byte(to), &c.To); err != nil {
			return nil, fmt.Errorf("decode field change: %w", err)
		}
		c.Source, c.At = inkform.ValueSource(source), fromMicros(at)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list field changes: %w", err)
	}
	return out, nil
}
