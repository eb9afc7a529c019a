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
	query, args, err := listJobsQuery(orgID, f)
	if err != nil {
		return nil, err
	}
	jobs, err := db.queryJobs(ctx, db.reader(ctx), query, args...)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	return jobs, nil
}

// listJobsQuery is ListJobs' query and its arguments.
func listJobsQuery(orgID string, f inkform.JobFilter) (string, []any, error) {
	query := `SELECT ` + jobColumns + ` FROM jobs WHERE org_id = ? AND id > ?`
	args := []any{orgID, f.After}
	if f.State != "" {
		cond, err := jobStateCond(f.State)
		if err != nil {
			return "", nil, err
		}
		query += cond
	}
	if f.Kind != "" {
		query += ` AND kind = ?`
		args = append(args, f.Kind)
	}
	query += ` ORDER BY id LIMIT ?`
	return query, append(args, inkform.ListLimit(f.Limit)), nil
}

// orgJobsWhere is the condition of migration 00020's partial index
// jobs_org: the jobs no worker is working on.
const orgJobsWhere = `state <> 'running'`

// jobStateCond is the job list's condition on state, with the state
// written out so that the database reads the partial index holding it: a
// database uses a partial index only where the query states the index's
// condition, and a bound parameter would not. Running jobs are in
// jobs_lease, the others in jobs_org, whose condition SQLite cannot derive
// from the state and so is stated too.
func jobStateCond(s inkform.JobState) (string, error) {
	switch s {
	case inkform.JobRunning:
		return ` AND state = '` + string(s) + `'`, nil
	case inkform.JobAvailable, inkform.JobRetryable, inkform.JobCompleted, inkform.JobCancelled, inkform.JobDead:
		return ` AND state = '` + string(s) + `' AND ` + orgJobsWhere, nil
	}
	return "", inkform.Errorf(inkform.EINVALID, "unknown job state %q", s)
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
