package fake

import (
	"context"
	"slices"
	"time"

	"github.com/inkform/inkform"
)

// ListJobs implements inkform.JobService: the org's jobs by ID, oldest
// first.
func (q *JobQueue) ListJobs(ctx context.Context, orgID string, f inkform.JobFilter) ([]*inkform.Job, error) {
	if err := q.Hook.call("ListJobs", orgID, f); err != nil {
		return nil, err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	out := []*inkform.Job{}
	for _, rec := range q.jobs {
		j := rec.job
		if j.OrgID == orgID && j.ID > f.After && (f.State == "" || j.State == f.State) && (f.Kind == "" || j.Kind == f.Kind) {
			out = append(out, rec.copyJob())
		}
	}
	slices.SortFunc(out, func(a, b *inkform.Job) int { return int(a.ID - b.ID) })
	if limit := inkform.ListLimit(f.Limit); len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// RetryJob implements inkform.JobService. Like sqlstore, the job's
// attempts and reaps count afresh, and a job in any other state is
// ECONFLICT.
func (q *JobQueue) RetryJob(ctx context.Context, orgID string, id int64) error {
	if err := q.Hook.call("RetryJob", orgID, id); err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	rec := q.jobs[id]
	if rec == nil || rec.job.OrgID != orgID {
		return inkform.Errorf(inkform.ENOTFOUND, "job %d not found", id)
	}
	switch rec.job.State {
	case inkform.JobDead, inkform.JobCancelled, inkform.JobRetryable:
	default:
		return inkform.Errorf(inkform.ECONFLICT, "job %d is %s; only dead, cancelled or retryable jobs can be retried", id, rec.job.State)
	}
	rec.job.State, rec.job.Attempt, rec.job.RunAt, rec.job.FinishedAt = inkform.JobAvailable, 0, now(), nil
	rec.leasedBy, rec.leaseEnd, rec.reaps = "", time.Time{}, 0
	return nil
}
