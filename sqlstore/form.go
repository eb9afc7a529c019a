package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/inkform/inkform"
)

// prepareTemplate copies, normalizes and validates a template, so that the
// caller's value is never changed behind its back.
func prepareTemplate(t *inkform.FormTemplate) (inkform.FormTemplate, error) {
	if t == nil {
		return inkform.FormTemplate{}, inkform.Errorf(inkform.EINVALID, "no form template")
	}
	cp := *t
	cp.Pages = append([]inkform.PageSpec(nil), t.Pages...)
	cp.Fields = append([]inkform.Field(nil), t.Fields...)
	cp.Normalize()
	return cp, cp.Validate()
}

// CreateForm stores a new form as version 1. Copied-pattern pages without an
// address get one from the org's pool; an address another form of the org
// uses → ECONFLICT naming it.
func (db *DB) CreateForm(ctx context.Context, orgID string, t *inkform.FormTemplate) (*inkform.Form, error) {
	tpl, err := prepareTemplate(t)
	if err != nil {
		return nil, err
	}
	now := db.now()
	f := &inkform.Form{ID: inkform.NewID(), OrgID: orgID, Version: 1, FormTemplate: tpl, CreatedAt: now, UpdatedAt: now}
	err = db.inWrite(ctx, func(tx querier) error {
		if err := db.orgExists(ctx, tx, orgID); err != nil {
			return err
		}
		if err := db.assignPageAddresses(ctx, tx, f, nil); err != nil {
			return err
		}
		after, days := retentionColumns(tpl.Retention)
		_, err := tx.exec(ctx, `INSERT INTO forms (id, org_id, pattern, version, next_copy, created_at, updated_at,
			retention_after, retention_days) VALUES (?, ?, ?, 1, 0, ?, ?, ?, ?)`,
			f.ID, orgID, string(tpl.Pattern), micros(now), micros(now), after, days)
		if err != nil {
			return fmt.Errorf("create form: %w", err)
		}
		if err := db.createFeed(ctx, tx, f.ID); err != nil {
			return err
		}
		return db.insertFormVersion(ctx, tx, f)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// UpdateForm stores the template as the form's next version. Pages that
// keep their place keep their addresses when the new template leaves them
// empty; addresses of removed pages are freed. Documents keep the version
// they were written on.
func (db *DB) UpdateForm(ctx context.Context, orgID, formID string, t *inkform.FormTemplate) (*inkform.Form, error) {
	tpl, err := prepareTemplate(t)
	if err != nil {
		return nil, err
	}
	var f *inkform.Form
	err = db.inWrite(ctx, func(tx querier) error {
		// Locking the form row serialises concurrent updates of one form.
		old, err := db.findForm(ctx, tx, orgID, formID, 0, true)
		if err != nil {
			return err
		}
		if old.Pattern != tpl.Pattern {
			return inkform.Errorf(inkform.EUNPROCESSABLE, "a form's pattern cannot change from %s to %s; create a new form", old.Pattern, tpl.Pattern)
		}
		f = &inkform.Form{ID: formID, OrgID: orgID, Version: old.Version + 1, FormTemplate: tpl,
			CreatedAt: old.CreatedAt, UpdatedAt: db.now()}
		if err := db.assignPageAddresses(ctx, tx, f, &old.FormTemplate); err != nil {
			return err
		}
		if tpl.Pattern == inkform.PatternUnique {
			// Copies keep their addresses for pages that still exist.
			_, err = tx.exec(ctx, `DELETE FROM page_addresses WHERE org_id = ? AND form_id = ? AND page > ?`,
				orgID, formID, len(tpl.Pages))
			if err != nil {
				return fmt.Errorf("update form: %w", err)
			}
		}
		after, days := retentionColumns(tpl.Retention)
		_, err = tx.exec(ctx, `UPDATE forms SET version = ?, updated_at = ?, retention_after = ?, retention_days = ?
			WHERE org_id = ? AND id = ?`, f.Version, micros(f.UpdatedAt), after, days, orgID, formID)
		if err != nil {
			return fmt.Errorf("update form: %w", err)
		}
		return db.insertFormVersion(ctx, tx, f)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// assignPageAddresses fills in and records the page addresses of a
// copied-pattern form (old is its previous version, or nil). Conflicts are
// looked for in SQL first to name the other form; the unique index still
// catches a concurrent creator.
func (db *DB) assignPageAddresses(ctx context.Context, tx querier, f *inkform.Form, old *inkform.FormTemplate) error {
	if f.Pattern != inkform.PatternCopied {
		return nil
	}
	owned := map[string]bool{}
	if old != nil {
		for i := range f.Pages {
			if f.Pages[i].Address == "" && i < len(old.Pages) {
				f.Pages[i].Address = old.Pages[i].Address
			}
		}
		for _, p := range old.Pages {
			owned[p.Address] = true
		}
	}
	var given, fresh []string
	var empty []int
	for i, p := range f.Pages {
		switch {
		case p.Address == "":
			empty = append(empty, i)
		case !owned[p.Address]:
			fresh = append(fresh, p.Address)
			given = append(given, p.Address)
		default:
			given = append(given, p.Address)
		}
	}
	if err := db.checkPoolAddresses(ctx, tx, f.OrgID, fresh); err != nil {
		return err
	}
	if len(given) > 0 {
		args := append([]any{f.OrgID, f.ID}, stringsToAny(given)...)
		var addr, other string
		err := tx.queryRow(ctx, `SELECT address, form_id FROM page_addresses
			WHERE org_id = ? AND form_id <> ? AND address IN (`+placeholders(len(given))+`) ORDER BY address`, args...).Scan(&addr, &other)
		if err == nil {
			return inkform.Errorf(inkform.ECONFLICT, "page address %s is used by form %s", addr, other)
		} else if err != sql.ErrNoRows {
			return fmt.Errorf("check page addresses: %w", err)
		}
	}
	addrs, err := db.allocateAddresses(ctx, tx, f.OrgID, len(empty))
	if err != nil {
		return err
	}
	for k, i := range empty {
		f.Pages[i].Address = addrs[k]
	}
	if _, err := tx.exec(ctx, `DELETE FROM page_addresses WHERE org_id = ? AND form_id = ? AND copy_id IS NULL`,
		f.OrgID, f.ID); err != nil {
		return fmt.Errorf("free page addresses: %w", err)
	}
	rows := make([][]any, len(f.Pages))
	for i, p := range f.Pages {
		rows[i] = []any{f.OrgID, p.Address, f.ID, i + 1}
	}
	err = db.insertRows(ctx, tx, "INSERT INTO page_addresses (org_id, address, form_id, page) VALUES ", rows)
	if isUniqueViolation(err) {
		return inkform.Errorf(inkform.ECONFLICT, "a page address of the form (%s) was taken by another form at the same time", strings.Join(given, ", "))
	} else if err != nil {
		return fmt.Errorf("insert page addresses: %w", err)
	}
	return nil
}

func (db *DB) insertFormVersion(ctx context.Context, tx querier, f *inkform.Form) error {
	tpl, err := json.Marshal(f.FormTemplate)
	if err != nil {
		return fmt.Errorf("encode template: %w", err)
	}
	_, err = tx.exec(ctx, `INSERT INTO form_versions (form_id, version, template, created_at) VALUES (?, ?, ?, ?)`,
		f.ID, f.Version, string(tpl), micros(f.UpdatedAt))
	if err != nil {
		return fmt.Errorf("insert form version: %w", err)
	}
	return nil
}

// insertRows inserts rows with multi-row INSERTs of bounded size; prefix is
// "INSERT INTO t (cols) VALUES ". A statement holds at most 900 bound
// parameters (every dialect's limit is higher) and, beyond its first row,
// at most 4 MB of string and byte arguments, well under MySQL's default
// max_allowed_packet of 16 MB.
func (db *DB) insertRows(ctx context.Context, q querier, prefix string, rows [][]any) error {
	const maxParams, maxBytes = 900, 4 << 20
	for len(rows) > 0 {
		n, params, size := 0, 0, 0
		for n < len(rows) {
			rs := rowBytes(rows[n])
			if n > 0 && (params+len(rows[n]) > maxParams || size+rs > maxBytes) {
				break
			}
			params += len(rows[n])
			size += rs
			n++
		}
		var b strings.Builder
		b.WriteString(prefix)
		args := make([]any, 0, params)
		for i, r := range rows[:n] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(" + placeholders(len(r)) + ")")
			args = append(args, r...)
		}
		if _, err := q.exec(ctx, b.String(), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

func rowBytes(row []any) int {
	n := 0
	for _, v := range row {
		switch x := v.(type) {
		case string:
			n += len(x)
		case []byte:
			n += len(x)
		}
	}
	return n
}

func stringsToAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
