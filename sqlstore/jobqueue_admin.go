package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/inkform/inkform"
)

// ListJobs implements inkform.JobService: an org's jobs, oldest first.
func (db *DB) ListJobs(ctx context.Context, orgID string, f inkform.JobFilter) ([]*inkform.Job, error) {
	query := `SELECT ` + jobColumns + ` FROM jobs WHERE org_id = ? AND id > ?`
	args := []any{orgID, f.After}
	if f.State != "" {
		query += ` AND state = ?`
		args = append(args, string(f.State))
	}
	if f.Kind != "" {
		query += ` AND kind = ?`
		args = append(args, f.Kind)
	}
	query += ` ORDER BY id LIMIT ?`
	args = append(args, inkform.ListLimit(f.Limit))
	jobs, err := db.queryJobs(ctx, db.reader(ctx), query, args...)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	return jobs, nil
}

// RetryJob implements inkform.JobService: a dead, cancelled or retryable
// job becomes available now with its attempts and reaps counted afresh.
func (db *DB) RetryJob(ctx context.Context, orgID string, id int64) error {
	res, err := db.writer().exec(ctx, `UPDATE jobs
		SET state = 'available', attempt = 0, reaps = 0, run_at = ?, finished_at = NULL, leased_by = NULL, lease_expires_at = NULL
		WHERE org_id = ? AND id = ? AND state IN ('dead', 'cancelled', 'retryable')`,
		micros(db.now()), orgID, id)
	if err != nil {
		return fmt.Errorf("retry job %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		db.orgLists.reset()
		db.keyLists.reset()
		return nil
	}
	var state string
	err = db.writer().queryRow(ctx, `SELECT state FROM jobs WHERE org_id = ? AND id = ?`, orgID, id).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return inkform.Errorf(inkform.ENOTFOUND, "job %d not found", id)
	} else if err != nil {
		return fmt.Errorf("retry job %d: %w", id, err)
	}
	return inkform.Errorf(inkform.ECONFLICT, "job %d is %s; only dead, cancelled or retryable jobs can be retried", id, state)
}
