package sqlstore

import (
	"context"
	"fmt"

	"github.com/inkform/inkform"
)

// verificationQueuesQuery counts an org's waiting documents and their
// conflicts per form.
const verificationQueuesQuery = `SELECT d.form_id, COUNT(*), MIN(d.created_at),
	(SELECT COUNT(*) FROM documents c WHERE c.org_id = d.org_id AND c.form_id = d.form_id AND c.` + waitingStatus + `
		AND c.id IN (SELECT e.document_id FROM double_entries e WHERE e.org_id = ?
			GROUP BY e.document_id, e.field HAVING COUNT(*) = 2 AND MIN(e.value) <> MAX(e.value)))
	FROM documents d WHERE d.org_id = ? AND d.` + waitingStatus + `
	GROUP BY d.org_id, d.form_id ORDER BY MIN(d.created_at), d.form_id`

// ListVerificationQueues implements inkform.LeaseStore. A conflict is a
// field of a waiting document with exactly two entries that differ; the
// JSON encodings compare as text, as inkform.EntryStates compares them.
func (db *DB) ListVerificationQueues(ctx context.Context, orgID string) ([]inkform.VerificationQueue, error) {
	rows, err := db.reader(ctx).query(ctx, verificationQueuesQuery, orgID, orgID)
	if err != nil {
		return nil, fmt.Errorf("list verification queues: %w", err)
	}
	out := []inkform.VerificationQueue{}
	for rows.Next() {
		var q inkform.VerificationQueue
		var oldest int64
		if err := rows.Scan(&q.FormID, &q.Waiting, &oldest, &q.Conflicts); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list verification queues: %w", err)
		}
		q.Oldest = fromMicros(oldest)
		out = append(out, q)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list verification queues: %w", err)
	}
	// The names are in the forms' templates; a handful of forms wait at
	// once, so reading each is cheap.
	for i := range out {
		f, err := db.FindForm(ctx, orgID, out[i].FormID)
		if err != nil {
			return nil, fmt.Errorf("list verification queues: %w", err)
		}
		out[i].FormName = f.Name
	}
	return out, nil
}
