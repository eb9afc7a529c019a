package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/inkform/inkform"
)

var (
	_ inkform.JobQueue   = (*DB)(nil)
	_ inkform.JobService = (*DB)(nil)
)

// finishedJobRetention is how long completed and cancelled jobs are kept
// (for inspection) before ReapJobs deletes them. Dead jobs stay until an
// admin retries them.
const finishedJobRetention = 24 * time.Hour

// finishedJobsWhere picks the finished jobs finished before a time; its
// state term is the jobs_finished index's own.
const finishedJobsWhere = `state IN ('completed', 'cancelled') AND finished_at < ?`

// reapQuery sets what set says on the running jobs whose lease expired
// and that meet cond; the jobs_lease index holds only running jobs.
func reapQuery(set, cond string) string {
	return `UPDATE jobs SET ` + set + `, last_error = ?, reaps = reaps + 1,
			leased_by = NULL, lease_expires_at = NULL
			WHERE state = 'running' AND lease_expires_at < ? AND ` + cond
}

const jobColumns = `id, org_id, queue, kind, args, state, priority, attempt, max_attempts, run_at,
	unique_key, last_error, created_at, finished_at`

func scanJob(s scanner) (*inkform.Job, error) {
	var j inkform.Job
	var args, state string
	var unique sql.NullString
	var runAt, createdAt int64
	var finishedAt sql.NullInt64
	if err := s.Scan(&j.ID, &j.OrgID, &j.Queue, &j.Kind, &args, &state, &j.Priority, &j.Attempt,
		&j.MaxAttempts, &runAt, &unique, &j.LastError, &createdAt, &finishedAt); err != nil {
		return nil, err
	}
	j.Args, j.State, j.UniqueKey = []byte(args), inkform.JobState(state), unique.String
	j.RunAt, j.CreatedAt = fromMicros(runAt), fromMicros(createdAt)
	if finishedAt.Valid {
		t := fromMicros(finishedAt.Int64)
		j.FinishedAt = &t
	}
	return &j, nil
}

func (db *DB) queryJobs(ctx context.Context, q querier, query string, args ...any) ([]*inkform.Job, error) {
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var jobs []*inkform.Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, j)
	}
	return jobs, rows.Err()
}

// Enqueue implements inkform.JobQueue for jobs not tied to another write.
func (db *DB) Enqueue(ctx context.Context, orgID string, args inkform.JobArgs, opts inkform.EnqueueOpts) (*inkform.Job, error) {
	var job *inkform.Job
	opts = inkform.JobInsertOpts(args, opts) // for the duplicate's unique key below
	err := db.inWrite(ctx, func(tx querier) error {
		id, err := db.enqueueJob(ctx, tx, orgID, args, opts)
		if err != nil {
			return err
		}
		query := `SELECT ` + jobColumns + ` FROM jobs WHERE id = ?`
		qargs := []any{id}
		if id == 0 { // skipped as a duplicate: return the unfinished one
			query = `SELECT ` + jobColumns + ` FROM jobs WHERE org_id = ? AND kind = ? AND unique_key = ?
				AND state IN ('available', 'retryable') ORDER BY id LIMIT 1`
			qargs = []any{orgID, args.Kind(), opts.UniqueKey}
		}
		jobs, err := db.queryJobs(ctx, tx, query, qargs...)
		if err != nil {
			return err
		} else if len(jobs) == 0 {
			return fmt.Errorf("enqueued job vanished")
		}
		job = jobs[0]
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("enqueue: %w", err)
	}
	db.notifyEnqueued(job.Queue)
	return job, nil
}

// updateHeld runs an UPDATE on the running jobs worker holds among ids.
func (db *DB) updateHeld(ctx context.Context, set string, setArgs []any, worker string, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	in, idArgs := db.d.idIn(ids)
	args := append(append(setArgs, worker), idArgs...)
	query := `UPDATE jobs SET ` + set + ` WHERE state = 'running' AND leased_by = ? AND ` + in
	if !db.d.relaxesLeaseWrites() {
		_, err := db.writer().exec(ctx, query, args...)
		return err
	}
	return db.inLeaseWrite(ctx, func(tx querier) error {
		_, err := tx.exec(ctx, query, args...)
		return err
	})
}

// ExtendLeases implements inkform.JobQueue.
func (db *DB) ExtendLeases(ctx context.Context, worker string, ids []int64, lease time.Duration) error {
	err := db.updateHeld(ctx, `lease_expires_at = ?`, []any{micros(db.now().Add(lease))}, worker, ids)
	if err != nil {
		return fmt.Errorf("extend leases: %w", err)
	}
	return nil
}

// CompleteJobs implements inkform.JobQueue.
func (db *DB) CompleteJobs(ctx context.Context, worker string, ids []int64) error {
	// Large batches are split so the IN list stays within every driver's
	// placeholder limit.
	for len(ids) > 0 {
		n := min(len(ids), 500)
		err := db.updateHeld(ctx, `state = 'completed', finished_at = ?, lease_expires_at = NULL`,
			[]any{micros(db.now())}, worker, ids[:n])
		if err != nil {
			return fmt.Errorf("complete jobs: %w", err)
		}
		ids = ids[n:]
	}
	return nil
}

// FailJob implements inkform.JobQueue. Two plain UPDATEs rather than one
// with CASE keep the parameters typed the same way on every database.
func (db *DB) FailJob(ctx context.Context, worker string, id int64, message string, retryAt time.Time) error {
	if !retryAt.IsZero() {
		res, err := db.writer().exec(ctx, `UPDATE jobs
			SET state = 'retryable', run_at = ?, last_error = ?, lease_expires_at = NULL
			WHERE id = ? AND state = 'running' AND leased_by = ? AND attempt < max_attempts`,
			micros(retryAt), message, id, worker)
		if err != nil {
			return fmt.Errorf("fail job %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			db.promotes.retried()
			return nil
		}
	}
	err := db.updateHeld(ctx, `state = 'dead', finished_at = ?, last_error = ?, lease_expires_at = NULL`,
		[]any{micros(db.now()), message}, worker, []int64{id})
	if err != nil {
		return fmt.Errorf("fail job %d: %w", id, err)
	}
	return nil
}

// SnoozeJob implements inkform.JobQueue.
func (db *DB) SnoozeJob(ctx context.Context, worker string, id int64, runAt time.Time) error {
	err := db.updateHeld(ctx, `state = 'available', attempt = attempt - 1, run_at = ?, lease_expires_at = NULL`,
		[]any{micros(runAt)}, worker, []int64{id})
	if err != nil {
		return fmt.Errorf("snooze job %d: %w", id, err)
	}
	return nil
}

// CancelJob implements inkform.JobQueue.
func (db *DB) CancelJob(ctx context.Context, worker string, id int64, reason string) error {
	err := db.updateHeld(ctx, `state = 'cancelled', finished_at = ?, last_error = ?, lease_expires_at = NULL`,
		[]any{micros(db.now()), reason}, worker, []int64{id})
	if err != nil {
		return fmt.Errorf("cancel job %d: %w", id, err)
	}
	return nil
}

// ReleaseJobs implements inkform.JobQueue.
func (db *DB) ReleaseJobs(ctx context.Context, worker string, ids []int64) error {
	err := db.updateHeld(ctx, `state = 'available', attempt = attempt - 1, run_at = ?, leased_by = NULL, lease_expires_at = NULL`,
		[]any{micros(db.now())}, worker, ids)
	if err != nil {
		return fmt.Errorf("release jobs: %w", err)
	}
	return nil
}

// ReapJobs implements inkform.JobQueue. It also deletes finished jobs past
// their retention, a bounded batch at a time.
func (db *DB) ReapJobs(ctx context.Context) (int, error) {
	now := micros(db.now())
	const lost = "lease expired: the worker stopped (crashed or lost its connection)"
	reaped := 0
	// A reap that makes the job dead for its reaps comes first: its reason
	// is the one to show, whatever attempts are left.
	for _, q := range []struct {
		set, cond, why string
		args           []any // of cond
	}{
		{`state = 'dead', finished_at = ?`, `reaps + 1 >= ?`, inkform.JobReapedTooOften(), []any{inkform.MaxJobReaps}},
		{`state = 'dead', finished_at = ?`, `attempt >= max_attempts`, lost, nil},
		{`state = 'retryable', run_at = ?`, `attempt < max_attempts`, lost, nil},
	} {
		res, err := db.writer().exec(ctx, reapQuery(q.set, q.cond), append([]any{now, q.why, now}, q.args...)...)
		if err != nil {
			return reaped, fmt.Errorf("reap jobs: %w", err)
		}
		n, _ := res.RowsAffected()
		reaped += int(n)
		if n > 0 {
			db.promotes.retried()
		}
	}
	if err := db.purgeFinishedJobs(ctx); err != nil {
		return reaped, err
	}
	return reaped, nil
}

func (db *DB) purgeFinishedJobs(ctx context.Context) error {
	cutoff := micros(db.now().Add(-finishedJobRetention))
	query := db.d.deleteLimit("jobs", finishedJobsWhere, 10000)
	if _, err := db.writer().exec(ctx, query, cutoff); err != nil {
		return fmt.Errorf("purge finished jobs: %w", err)
	}
	return nil
}

// statsQuery counts the jobs of each unfinished state by queue, one state
// at a time: each part names its state as that state's partial index does
// (migration 00018), so that it reads only that index, never the finished
// jobs.
const statsQuery = `SELECT queue, state, COUNT(*), MIN(CASE WHEN run_at <= ? THEN run_at END)
		FROM jobs WHERE state = 'available' GROUP BY queue, state
	UNION ALL SELECT queue, state, COUNT(*), MIN(CASE WHEN run_at <= ? THEN run_at END)
		FROM jobs WHERE state = 'retryable' GROUP BY queue, state
	UNION ALL SELECT queue, state, COUNT(*), MIN(CASE WHEN run_at <= ? THEN run_at END)
		FROM jobs WHERE state = 'running' GROUP BY queue, state
	UNION ALL SELECT queue, state, COUNT(*), MIN(CASE WHEN run_at <= ? THEN run_at END)
		FROM jobs WHERE state = 'dead' GROUP BY queue, state`

// QueueStats implements inkform.JobQueue. Finished jobs are not counted:
// they say nothing about load and would make the scrape scan them all.
func (db *DB) QueueStats(ctx context.Context) ([]inkform.QueueStat, error) {
	now := db.now()
	at := micros(now)
	rows, err := db.reader(ctx).query(ctx, statsQuery, at, at, at, at)
	if err != nil {
		return nil, fmt.Errorf("queue stats: %w", err)
	}
	defer rows.Close()
	var stats []inkform.QueueStat
	for rows.Next() {
		var s inkform.QueueStat
		var state string
		var oldest sql.NullInt64
		if err := rows.Scan(&s.Queue, &state, &s.Count, &oldest); err != nil {
			return nil, fmt.Errorf("queue stats: %w", err)
		}
		s.State = inkform.JobState(state)
		if oldest.Valid && (s.State == inkform.JobAvailable || s.State == inkform.JobRetryable) {
			s.OldestDue = now.Sub(fromMicros(oldest.Int64))
		}
		stats = append(stats, s)
	}
	return stats, rows.Err()
}
