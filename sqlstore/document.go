package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/ink"
)

const documentColumns = `SELECT id, org_id, form_id, form_version, copy_id, status, pen_id, pages, fields, created_at, updated_at FROM documents `

// FindDocument returns a document of the org.
func (db *DB) FindDocument(ctx context.Context, orgID, id string) (*inkform.Document, error) {
	return db.findDocument(ctx, db.reader(ctx), orgID, id)
}

func (db *DB) findDocument(ctx context.Context, q querier, orgID, id string) (*inkform.Document, error) {
	d, err := scanDocument(q.queryRow(ctx, documentColumns+"WHERE org_id = ? AND id = ?", orgID, id))
	if err != nil {
		return nil, notFound(err, "document")
	}
	return d, nil
}

func scanDocument(s scanner) (*inkform.Document, error) {
	var d inkform.Document
	var copyID sql.NullString
	var status, pages, fields string
	var created, updated int64
	if err := s.Scan(&d.ID, &d.OrgID, &d.FormID, &d.FormVersion, &copyID, &status, &d.PenID, &pages, &fields, &created, &updated); err != nil {
		return nil, err
	}
	d.CopyID, d.Status = copyID.String, inkform.DocumentStatus(status)
	d.CreatedAt, d.UpdatedAt = fromMicros(created), fromMicros(updated)
	if err := json.Unmarshal([]byte(pages), &d.Pages); err != nil {
		return nil, fmt.Errorf("decode pages of document %s: %w", d.ID, err)
	}
	if err := json.Unmarshal([]byte(fields), &d.Fields); err != nil {
		return nil, fmt.Errorf("decode fields of document %s: %w", d.ID, err)
	}
	for name, fv := range d.Fields {
		fv.Value = restoreValue(fv.Value)
		d.Fields[name] = fv
	}
	return &d, nil
}

// restoreValue gives a multiple choice back its domain type: JSON decodes
// a []string as []any.
func restoreValue(v any) any {
	a, ok := v.([]any)
	if !ok {
		return v
	}
	out := make([]string, 0, len(a))
	for _, x := range a {
		s, ok := x.(string)
		if !ok {
			return v
		}
		out = append(out, s)
	}
	return out
}

// ListDocuments lists an org's documents by ID (creation order), filtered,
// and returns the cursor of the next page ("" on the last page).
func (db *DB) ListDocuments(ctx context.Context, orgID string, f inkform.DocumentFilter) ([]*inkform.Document, string, error) {
	where := []string{"org_id = ?"}
	args := []any{orgID}
	add := func(cond string, arg any) {
		where = append(where, cond)
		args = append(args, arg)
	}
	if f.FormID != "" {
		add("form_id = ?", f.FormID)
	}
	if f.Status != "" {
		add("status = ?", string(f.Status))
	}
	if f.PenID != "" {
		add("pen_id = ?", f.PenID)
	}
	if !f.Since.IsZero() {
		add("created_at >= ?", micros(f.Since))
	}
	if !f.Until.IsZero() {
		add("created_at < ?", micros(f.Until))
	}
	if f.After != "" {
		add("id > ?", f.After)
	}
	limit := inkform.ListLimit(f.Limit)
	// One row more than asked tells whether there is a next page.
	args = append(args, limit+1)
	rows, err := db.reader(ctx).query(ctx, documentColumns+"WHERE "+strings.Join(where, " AND ")+" ORDER BY id LIMIT ?", args...)
	if err != nil {
		return nil, "", fmt.Errorf("list documents: %w", err)
	}
	defer rows.Close()
	out := []*inkform.Document{}
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, "", fmt.Errorf("list documents: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("list documents: %w", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].ID
	}
	return out, next, nil
}

// FindDocumentInk returns all ink of a document, merged by page in the
// order received. SHA256 covers the stored encodings concatenated in that
// order, and Rows counts them, so both change whenever ink is added.
func (db *DB) FindDocumentInk(ctx context.Context, orgID, id string) (*inkform.DocumentInk, error) {
	// Only the pen of the document: its fields and pages (JSON) are not
	// needed here, and every interpretation and render reads its ink.
	var pen string
	err := db.reader(ctx).queryRow(ctx, `SELECT pen_id FROM documents WHERE org_id = ? AND id = ?`, orgID, id).Scan(&pen)
	if err != nil {
		return nil, notFound(err, "document")
	}
	rows, err := db.reader(ctx).query(ctx, `SELECT data FROM ink WHERE org_id = ? AND document_id = ?
		ORDER BY received_at, id`, orgID, id)
	if err != nil {
		return nil, fmt.Errorf("find ink: %w", err)
	}
	defer rows.Close()
	out := &inkform.DocumentInk{DocumentID: id, PenID: pen, Pages: []inkform.PageInk{}}
	byAddr := map[string]int{}
	h := sha256.New()
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, fmt.Errorf("find ink: %w", err)
		}
		h.Write(data)
		out.Rows++
		pages, err := ink.Decode(data, db.opts.MaxPoints)
		if err != nil {
			return nil, fmt.Errorf("decode ink of document %s: %w", id, err)
		}
		for _, p := range pages {
			if i, ok := byAddr[p.Address]; ok {
				out.Pages[i].Strokes = append(out.Pages[i].Strokes, p.Strokes...)
				continue
			}
			byAddr[p.Address] = len(out.Pages)
			out.Pages = append(out.Pages, p)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find ink: %w", err)
	}
	out.SHA256 = hex.EncodeToString(h.Sum(nil))
	return out, nil
}

// ListStatusChanges returns a document's status history, oldest first.
func (db *DB) ListStatusChanges(ctx context.Context, orgID, id string) ([]inkform.StatusChange, error) {
	if _, err := db.findDocument(ctx, db.reader(ctx), orgID, id); err != nil {
		return nil, err
	}
	rows, err := db.reader(ctx).query(ctx, `SELECT from_status, to_status, cause, changed_at FROM status_changes
		WHERE org_id = ? AND document_id = ? ORDER BY id`, orgID, id)
	if err != nil {
		return nil, fmt.Errorf("list status changes: %w", err)
	}
	defer rows.Close()
	out := []inkform.StatusChange{}
	for rows.Next() {
		var c inkform.StatusChange
		var from, to string
		var at int64
		if err := rows.Scan(&from, &to, &c.Cause, &at); err != nil {
			return nil, fmt.Errorf("list status changes: %w", err)
		}
		c.From, c.To, c.At = inkform.DocumentStatus(from), inkform.DocumentStatus(to), fromMicros(at)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list status changes: %w", err)
	}
	return out, nil
}
