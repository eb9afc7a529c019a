package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/inkform/inkform"
)

var _ inkform.RetentionStore = (*DB)(nil)

// retentionColumns are the values of forms.retention_after and
// retention_days for a template's retention: NULL for none.
func retentionColumns(r *inkform.Retention) (after, days any) {
	if r == nil {
		return nil, nil
	}
	return r.After, r.Days
}

// microsPerDay converts retention days to the stored time unit.
const microsPerDay = int64(24 * time.Hour / time.Microsecond)

// ExpiredDocuments returns up to limit documents, of any org, whose form's
// retention has run out at now: validated (or exported) more than the
// form's retention days ago. It serves the maintenance job, a system job
// that purges them. The query goes from the few forms with retention
// (forms_retention) to their documents by the (org, form, time) indexes,
// so it does not read the documents that are kept.
//
// A document counts from the time it was last validated or exported; one
// that left validated again has no validated_at and is kept.
func (db *DB) ExpiredDocuments(ctx context.Context, now time.Time, limit int) ([]inkform.DocumentRef, error) {
	if limit <= 0 {
		return nil, nil
	}
	var refs []inkform.DocumentRef
	for _, c := range []struct{ after, column string }{
		{inkform.RetainAfterValidated, "validated_at"},
		{inkform.RetainAfterExported, "exported_at"},
	} {
		if len(refs) >= limit {
			break
		}
		// The cutoff depends on the form, so it is computed per joined
		// form row; the comparison still uses the document index as
		// the inner side of the join.
		rows, err := db.reader(ctx).query(ctx, expiredQuery(c.column), c.after, micros(now), microsPerDay, limit-len(refs))
		if err != nil {
			return nil, fmt.Errorf("expired documents: %w", err)
		}
		for rows.Next() {
			var r inkform.DocumentRef
			if err := rows.Scan(&r.OrgID, &r.ID); err != nil {
				rows.Close()
				return nil, fmt.Errorf("expired documents: %w", err)
			}
			refs = append(refs, r)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("expired documents: %w", err)
		}
	}
	return refs, nil
}

// expiredQuery lists documents whose form's retention has run out,
// counted from column (validated_at or exported_at). The comparison tells
// SQLite the column is set, so it may use that column's partial index
// (documents_validated or documents_exported, migration 00019).
func expiredQuery(column string) string {
	return `SELECT d.org_id, d.id FROM forms f
			JOIN documents d ON d.org_id = f.org_id AND d.form_id = f.id
			WHERE f.retention_after = ? AND d.` + column + ` < ? - f.retention_days * ?
			LIMIT ?`
}

// PurgeExpiredDocument purges a document that ExpiredDocuments listed, as
// PurgeDocument does, unless it is no longer
// expired at now: the list may come from a lagging replica, and between
// listing and purging the document may have left validated, been exported
// again or had its form's retention lengthened or removed. The check runs
// on the locked row in the purge's transaction. It reports whether it
// purged the document.
func (db *DB) PurgeExpiredDocument(ctx context.Context, orgID, id, actor string, now time.Time) (bool, error) {
	return db.purge(ctx, orgID, id, actor, func(tx querier) (bool, error) {
		var n int
		err := tx.queryRow(ctx, `SELECT COUNT(*) FROM forms f
			JOIN documents d ON d.org_id = f.org_id AND d.form_id = f.id
			WHERE d.org_id = ? AND d.id = ? AND (
				(f.retention_after = ? AND d.validated_at < ? - f.retention_days * ?) OR
				(f.retention_after = ? AND d.exported_at < ? - f.retention_days * ?))`,
			orgID, id, inkform.RetainAfterValidated, micros(now), microsPerDay,
			inkform.RetainAfterExported, micros(now), microsPerDay).Scan(&n)
		if err != nil {
			return false, fmt.Errorf("check retention: %w", err)
		}
		return n == 0, nil
	})
}
