package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/inkform/inkform"
)

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
		rows, err := db.r.QueryContext(ctx, db.rebind(`SELECT d.org_id, d.id FROM forms f
			JOIN documents d ON d.org_id = f.org_id AND d.form_id = f.id
			WHERE f.retention_after = ? AND d.`+c.column+` < ? - f.retention_days * ?
			LIMIT ?`), c.after, micros(now), microsPerDay, limit-len(refs))
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
