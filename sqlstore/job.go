package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/inkform/inkform"
)

// DefaultMaxAttempts is a job's attempts when EnqueueOpts names none.
const DefaultMaxAttempts = 25

// enqueueTx inserts a job inside the caller's transaction, so the job exists
// exactly when the data it works on does. With a UniqueKey, the enqueue is
// skipped while a job of the same org, kind and key is waiting to run
// (available or retryable). A running one does not count: it may have read
// its data before this transaction wrote, so the new job must run after it
// (new ink arriving while its document is being interpreted).
//
// The unique check is a read, not a constraint (MySQL has no partial
// indexes): two transactions racing may both insert, which costs one
// redundant run of an idempotent job, never a lost one.
func (db *DB) enqueueTx(ctx context.Context, tx querier, orgID string, args inkform.JobArgs, opts inkform.EnqueueOpts) error {
	_, err := db.enqueueJob(ctx, tx, orgID, args, opts)
	return err
}

// enqueueJob is enqueueTx returning the new job's ID (0 when skipped).
func (db *DB) enqueueJob(ctx context.Context, tx querier, orgID string, args inkform.JobArgs, opts inkform.EnqueueOpts) (int64, error) {
	raw, err := json.Marshal(args)
	if err != nil {
		return 0, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	if opts.Queue == "" {
		opts.Queue = inkform.QueueDefault
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = DefaultMaxAttempts
	}
	now := db.now()
	if opts.RunAt.IsZero() {
		opts.RunAt = now
	}
	if opts.UniqueKey != "" {
		var n int
		err := tx.queryRow(ctx, `SELECT COUNT(*) FROM jobs
			WHERE kind = ? AND unique_key = ? AND org_id = ? AND state IN ('available', 'retryable')`,
			args.Kind(), opts.UniqueKey, orgID).Scan(&n)
		if err != nil {
			return 0, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
		} else if n > 0 {
			return 0, nil
		}
	}
	return db.insertJob(ctx, tx, orgID, args.Kind(), string(raw), opts, now)
}

// insertJob inserts a job without looking for a unique duplicate: capture
// uses it directly for documents it has just created, whose IDs no job can
// name yet. opts must have its defaults filled in.
func (db *DB) insertJob(ctx context.Context, tx querier, orgID, kind, args string, opts inkform.EnqueueOpts, now time.Time) (int64, error) {
	var unique any
	if opts.UniqueKey != "" {
		unique = opts.UniqueKey
	}
	id, err := db.d.insertID(ctx, tx, `INSERT INTO jobs
		(org_id, queue, kind, args, state, priority, attempt, max_attempts, run_at, unique_key, last_error, created_at)
		VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, '', ?)`,
		orgID, opts.Queue, kind, args, string(inkform.JobAvailable), opts.Priority,
		opts.MaxAttempts, micros(opts.RunAt), unique, micros(now))
	if err != nil {
		return 0, fmt.Errorf("enqueue %s: %w", kind, err)
	}
	return id, nil
}
