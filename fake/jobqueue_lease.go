package fake

import (
	"context"
	"time"

	"github.com/inkform/inkform"
)

// lostLease is the error a reaped job records, as in sqlstore.
const lostLease = "lease expired: the worker stopped (crashed or lost its connection)"

// held calls fn for each of ids that worker holds: running under its
// lease. Jobs it does not hold are left alone, as the interface promises.
func (q *JobQueue) held(worker string, ids []int64, fn func(rec *jobRec)) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, id := range ids {
		if rec := q.jobs[id]; rec != nil && rec.job.State == inkform.JobRunning && rec.leasedBy == worker {
			fn(rec)
		}
	}
}

// finish ends a held job in state with message.
func finish(rec *jobRec, state inkform.JobState, message string) {
	at := now()
	rec.job.State, rec.job.FinishedAt, rec.leaseEnd = state, &at, time.Time{}
	if message != "" {
		rec.job.LastError = message
	}
}

// ExtendLeases implements inkform.JobQueue.
func (q *JobQueue) ExtendLeases(ctx context.Context, worker string, ids []int64, lease time.Duration) error {
	if err := q.Hook.call("ExtendLeases", worker, ids, lease); err != nil {
		return err
	}
	until := now().Add(lease)
	q.held(worker, ids, func(rec *jobRec) { rec.leaseEnd = until })
	return nil
}

// CompleteJobs implements inkform.JobQueue.
func (q *JobQueue) CompleteJobs(ctx context.Context, worker string, ids []int64) error {
	if err := q.Hook.call("CompleteJobs", worker, ids); err != nil {
		return err
	}
	q.held(worker, ids, func(rec *jobRec) { finish(rec, inkform.JobCompleted, "") })
	return nil
}

// FailJob implements inkform.JobQueue.
func (q *JobQueue) FailJob(ctx context.Context, worker string, id int64, message string, retryAt time.Time) error {
	if err := q.Hook.call("FailJob", worker, id, message, retryAt); err != nil {
		return err
	}
	q.held(worker, []int64{id}, func(rec *jobRec) {
		if retryAt.IsZero() || rec.job.Attempt >= rec.job.MaxAttempts {
			finish(rec, inkform.JobDead, message)
			return
		}
		rec.job.State, rec.job.RunAt, rec.job.LastError = inkform.JobRetryable, dbTime(retryAt), message
		rec.leaseEnd = time.Time{}
	})
	return nil
}

// SnoozeJob implements inkform.JobQueue.
func (q *JobQueue) SnoozeJob(ctx context.Context, worker string, id int64, runAt time.Time) error {
	if err := q.Hook.call("SnoozeJob", worker, id, runAt); err != nil {
		return err
	}
	q.held(worker, []int64{id}, func(rec *jobRec) {
		rec.job.State, rec.job.RunAt, rec.leaseEnd = inkform.JobAvailable, dbTime(runAt), time.Time{}
		rec.job.Attempt--
	})
	return nil
}

// CancelJob implements inkform.JobQueue.
func (q *JobQueue) CancelJob(ctx context.Context, worker string, id int64, reason string) error {
	if err := q.Hook.call("CancelJob", worker, id, reason); err != nil {
		return err
	}
	q.held(worker, []int64{id}, func(rec *jobRec) { finish(rec, inkform.JobCancelled, reason) })
	return nil
}

// ReleaseJobs implements inkform.JobQueue.
func (q *JobQueue) ReleaseJobs(ctx context.Context, worker string, ids []int64) error {
	if err := q.Hook.call("ReleaseJobs", worker, ids); err != nil {
		return err
	}
	at := now()
	q.held(worker, ids, func(rec *jobRec) {
		rec.job.State, rec.job.RunAt, rec.leasedBy, rec.leaseEnd = inkform.JobAvailable, at, "", time.Time{}
		rec.job.Attempt--
	})
	return nil
}

// ReapJobs implements inkform.JobQueue. Like sqlstore, it counts a job's
// reaps, and also forgets completed and cancelled jobs a day after they
// finished.
func (q *JobQueue) ReapJobs(ctx context.Context) (int, error) {
	if err := q.Hook.call("ReapJobs"); err != nil {
		return 0, err
	}
	at := now()
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for id, rec := range q.jobs {
		j := &rec.job
		switch {
		case j.State == inkform.JobRunning && rec.leaseEnd.Before(at):
			n++
			rec.reaps++
			rec.leasedBy, rec.leaseEnd, j.LastError = "", time.Time{}, lostLease
			switch {
			case rec.reaps >= inkform.MaxJobReaps:
				j.State, j.FinishedAt, j.LastError = inkform.JobDead, &at, inkform.JobReapedTooOften()
			case j.Attempt >= j.MaxAttempts:
				j.State, j.FinishedAt = inkform.JobDead, &at
			default:
				j.State, j.RunAt = inkform.JobRetryable, at
			}
		case (j.State == inkform.JobCompleted || j.State == inkform.JobCancelled) &&
			j.FinishedAt != nil && j.FinishedAt.Before(at.Add(-finishedJobRetention)):
			delete(q.jobs, id)
		}
	}
	return n, nil
}

// QueueStats implements inkform.JobQueue. Like sqlstore, it leaves out
// finished jobs, which say nothing about load.
func (q *JobQueue) QueueStats(ctx context.Context) ([]inkform.QueueStat, error) {
	if err := q.Hook.call("QueueStats"); err != nil {
		return nil, err
	}
	at := now()
	q.mu.Lock()
	defer q.mu.Unlock()
	type key struct {
		queue string
		state inkform.JobState
	}
	stats := map[key]*inkform.QueueStat{}
	var order []key
	for _, rec := range q.jobs {
		j := rec.job
		switch j.State {
		case inkform.JobCompleted, inkform.JobCancelled:
			continue
		}
		k := key{j.Queue, j.State}
		s := stats[k]
		if s == nil {
			s = &inkform.QueueStat{Queue: j.Queue, State: j.State}
			stats[k] = s
			order = append(order, k)
		}
		s.Count++
		if rec.waiting() && !j.RunAt.After(at) {
			s.OldestDue = max(s.OldestDue, at.Sub(j.RunAt))
		}
	}
	out := make([]inkform.QueueStat, len(order))
	for i, k := range order {
		out[i] = *stats[k]
	}
	return out, nil
}
