package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/inkform/inkform"
)

// DefaultMaxAttempts is a job's attempts when neither its EnqueueOpts nor
// its args' InsertOpts name any.
const DefaultMaxAttempts = 25

// enqueueTx inserts a job of args, with the options the args carry, inside
// the caller's transaction, so the job exists exactly when the data it
// works on does. With a UniqueKey, the enqueue is
// skipped while a job of the same org, kind and key is waiting to run
// (available or retryable). A running one does not count: it may have read
// its data before this transaction wrote, so the new job must run after it
// (new ink arriving while its document is being interpreted).
//
// The unique check is a read, not a constraint (MySQL has no partial
// indexes): two transactions racing may both insert, which costs one
// redundant run of an idempotent job, never a lost one.
func (db *DB) enqueueTx(ctx context.Context, tx querier, orgID string, args inkform.JobArgs) error {
	_, err := db.enqueueJob(ctx, tx, orgID, args, inkform.EnqueueOpts{})
	return err
}

// enqueueJob is enqueueTx with options given over the args' own, returning
// the new job's ID (0 when skipped).
func (db *DB) enqueueJob(ctx context.Context, tx querier, orgID string, args inkform.JobArgs, opts inkform.EnqueueOpts) (int64, error) {
	now := db.now()
	opts = jobOptions(args, opts, now)
	row, err := jobRow(orgID, args, opts, now)
	if err != nil {
		return 0, err
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
	id, err := db.d.insertID(ctx, tx, `INSERT INTO jobs (`+jobInsertColumns+`) VALUES (`+placeholders(len(row))+`)`, row...)
	if err != nil {
		return 0, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	db.orgLists.enqueued(opts.Queue, orgID)
	db.keyLists.enqueued(opts.Queue, opts.LimitKey)
	return id, db.notifyTx(ctx, tx, opts.Queue)
}

// jobOptions returns the options of an enqueue of args: those given, else
// the args' own (inkform.JobInsertOpts), else the store's defaults.
func jobOptions(args inkform.JobArgs, opts inkform.EnqueueOpts, now time.Time) inkform.EnqueueOpts {
	opts = inkform.JobInsertOpts(args, opts)
	if opts.Queue == "" {
		opts.Queue = inkform.QueueDefault
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = DefaultMaxAttempts
	}
	if opts.RunAt.IsZero() {
		opts.RunAt = now
	}
	return opts
}

// jobInsertColumns are the columns of a new job, in the order of jobRow.
const jobInsertColumns = `org_id, queue, kind, args, document_id, state, priority, attempt, max_attempts, run_at,
	unique_key, last_error, created_at, limit_key`

// jobRow returns the values of jobInsertColumns for a new job of args;
// opts must come from jobOptions. The document a job works on is stored
// in a column of its own (NULL for other jobs), so that the document's jobs
// are found by an index rather than by reading their args.
func jobRow(orgID string, args inkform.JobArgs, opts inkform.EnqueueOpts, now time.Time) ([]any, error) {
	raw, err := json.Marshal(args)
	if err != nil {
		return nil, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	var doc, unique, limit any
	if id := inkform.JobDocumentID(args); id != "" {
		doc = id
	}
	if opts.UniqueKey != "" {
		unique = opts.UniqueKey
	}
	if opts.LimitKey != "" {
		limit = opts.LimitKey
	}
	return []any{orgID, opts.Queue, args.Kind(), string(raw), doc, string(inkform.JobAvailable), opts.Priority, 0,
		opts.MaxAttempts, micros(opts.RunAt), unique, "", micros(now), limit}, nil
}
