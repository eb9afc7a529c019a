package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/inkform/inkform"
)

// orgExists returns ENOTFOUND unless the org exists.
func (db *DB) orgExists(ctx context.Context, q querier, orgID string) error {
	var id string
	err := q.queryRow(ctx, "SELECT id FROM orgs WHERE id = ?", orgID).Scan(&id)
	if err != nil {
		return notFound(err, "org")
	}
	return nil
}

// FindForm returns the latest version of a form.
func (db *DB) FindForm(ctx context.Context, orgID, formID string) (*inkform.Form, error) {
	return db.findForm(ctx, db.reader(ctx), orgID, formID, 0, false)
}

// FindFormVersion returns one version of a form; its UpdatedAt is when that
// version was stored.
func (db *DB) FindFormVersion(ctx context.Context, orgID, formID string, version int) (*inkform.Form, error) {
	if version < 1 {
		return nil, inkform.Errorf(inkform.ENOTFOUND, "form version %d not found", version)
	}
	return db.findForm(ctx, db.reader(ctx), orgID, formID, version, false)
}

const formColumns = `SELECT f.id, f.org_id, v.version, f.created_at, f.updated_at, v.created_at, v.template
	FROM forms f JOIN form_versions v ON v.form_id = f.id `

// findForm reads version (0 = latest) of a form; lock takes a row lock on
// the form for an update in the same transaction.
func (db *DB) findForm(ctx context.Context, q querier, orgID, formID string, version int, lock bool) (*inkform.Form, error) {
	query := formColumns + "AND v.version = f.version WHERE f.org_id = ? AND f.id = ?"
	args := []any{orgID, formID}
	if version > 0 {
		query = formColumns + "AND v.version = ? WHERE f.org_id = ? AND f.id = ?"
		args = []any{version, orgID, formID}
	}
	if lock {
		query += db.d.forUpdate()
	}
	f, err := scanForm(q.queryRow(ctx, query, args...), version > 0)
	if err != nil {
		return nil, notFound(err, "form")
	}
	return f, nil
}

type scanner interface{ Scan(dest ...any) error }

func scanForm(s scanner, versionTime bool) (*inkform.Form, error) {
	var f inkform.Form
	var created, updated, versionCreated int64
	var tpl string
	if err := s.Scan(&f.ID, &f.OrgID, &f.Version, &created, &updated, &versionCreated, &tpl); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(tpl), &f.FormTemplate); err != nil {
		return nil, fmt.Errorf("decode template of form %s: %w", f.ID, err)
	}
	f.CreatedAt, f.UpdatedAt = fromMicros(created), fromMicros(updated)
	if versionTime {
		f.UpdatedAt = fromMicros(versionCreated)
	}
	return &f, nil
}

// ListForms lists the latest versions of an org's forms by ID, which is
// creation order.
func (db *DB) ListForms(ctx context.Context, orgID string, filter inkform.FormFilter) ([]*inkform.FormSummary, error) {
	rows, err := db.reader(ctx).query(ctx, formColumns+`AND v.version = f.version
		WHERE f.org_id = ? AND f.id > ? ORDER BY f.id LIMIT ?`, orgID, filter.After, inkform.ListLimit(filter.Limit))
	if err != nil {
		return nil, fmt.Errorf("list forms: %w", err)
	}
	defer rows.Close()
	// Rows are read one at a time and each template dropped once
	// summarised, so a page of large forms never sits in memory at once.
	out := []*inkform.FormSummary{}
	for rows.Next() {
		f, err := scanForm(rows, false)
		if err != nil {
			return nil, fmt.Errorf("list forms: %w", err)
		}
		out = append(out, f.Summary())
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list forms: %w", err)
	}
	return out, nil
}

// ResolveAddress finds the form page (and for unique pattern the copy) that
// a page address names.
func (db *DB) ResolveAddress(ctx context.Context, orgID, address string) (*inkform.PageRef, error) {
	refs, err := db.resolveAddresses(ctx, db.reader(ctx), orgID, []string{address})
	if err != nil {
		return nil, err
	}
	ref, ok := refs[address]
	if !ok {
		return nil, inkform.Errorf(inkform.ENOTFOUND, "no form of the org has the page address %s", address)
	}
	return ref, nil
}

// resolveAddresses resolves many addresses in one query; unknown ones are
// missing from the map.
func (db *DB) resolveAddresses(ctx context.Context, q querier, orgID string, addrs []string) (map[string]*inkform.PageRef, error) {
	out := make(map[string]*inkform.PageRef, len(addrs))
	if len(addrs) == 0 {
		return out, nil
	}
	rows, err := q.query(ctx, `SELECT pa.address, pa.form_id, f.version, pa.page, pa.copy_id
		FROM page_addresses pa JOIN forms f ON f.id = pa.form_id AND f.org_id = pa.org_id
		WHERE pa.org_id = ? AND pa.address IN (`+placeholders(len(addrs))+`)`,
		append([]any{orgID}, stringsToAny(addrs)...)...)
	if err != nil {
		return nil, fmt.Errorf("resolve addresses: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r inkform.PageRef
		var copyID sql.NullString
		if err := rows.Scan(&r.Address, &r.FormID, &r.FormVersion, &r.Page, &copyID); err != nil {
			return nil, fmt.Errorf("resolve addresses: %w", err)
		}
		r.CopyID = copyID.String
		out[r.Address] = &r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("resolve addresses: %w", err)
	}
	return out, nil
}
