package fake

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/inkform/inkform"
)

var (
	_ inkform.JobQueue   = (*JobQueue)(nil)
	_ inkform.JobService = (*JobQueue)(nil)
)

// Queue defaults and bounds, as in sqlstore.
const (
	defaultMaxAttempts   = 25
	maxClaimOrgs         = 64
	finishedJobRetention = 24 * time.Hour
)

// JobQueue is an in-memory JobQueue and JobService. It claims the way
// sqlstore does — an equal share of the free slots per org with due jobs,
// then the rest from any, in priority, due-time and ID order — so that the
// queue runtime's tests see the store's behaviour.
type JobQueue struct {
	Hook Hook

	turns  inkform.ClaimTurns
	mu     sync.Mutex
	nextID int64
	jobs   map[int64]*jobRec
}

// jobRec is a stored job with its lease.
type jobRec struct {
	job      inkform.Job
	leasedBy string
	leaseEnd time.Time // zero when no lease runs
	reaps    int       // times ReapJobs took it back from a worker that died
	limitKey string    // EnqueueOpts.LimitKey
}

// copyJob returns a copy of the job that shares no memory with the store.
func (r *jobRec) copyJob() *inkform.Job {
	c := r.job
	c.Args = slices.Clone(r.job.Args)
	if r.job.FinishedAt != nil {
		t := *r.job.FinishedAt
		c.FinishedAt = &t
	}
	return &c
}

// waiting reports whether the job waits to run: the state a UniqueKey
// counts.
func (r *jobRec) waiting() bool {
	return r.job.State == inkform.JobAvailable || r.job.State == inkform.JobRetryable
}

// Put stores a copy of j as it is, with the next free ID when j.ID is 0,
// and returns its ID. Tests use it for jobs in states they would otherwise
// have to work through.
func (q *JobQueue) Put(j *inkform.Job) int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.jobs == nil {
		q.jobs = map[int64]*jobRec{}
	}
	rec := &jobRec{job: *j}
	if rec.job.ID == 0 {
		q.nextID++
		rec.job.ID = q.nextID
	}
	q.nextID = max(q.nextID, rec.job.ID)
	rec.job = *rec.copyJob()
	q.jobs[rec.job.ID] = rec
	return rec.job.ID
}

// Job returns a copy of the job with the ID, of whatever org, or nil.
func (q *JobQueue) Job(id int64) *inkform.Job {
	q.mu.Lock()
	defer q.mu.Unlock()
	if rec := q.jobs[id]; rec != nil {
		return rec.copyJob()
	}
	return nil
}

// LeasedBy returns the worker that holds or last held the job's lease, ""
// when none did or the job was handed back.
func (q *JobQueue) LeasedBy(id int64) string {
	q.mu.Lock()
	defer q.mu.Unlock()
	if rec := q.jobs[id]; rec != nil {
		return rec.leasedBy
	}
	return ""
}

// Enqueue implements inkform.JobQueue.
func (q *JobQueue) Enqueue(ctx context.Context, orgID string, args inkform.JobArgs, opts inkform.EnqueueOpts) (*inkform.Job, error) {
	if err := q.Hook.call("Enqueue", orgID, args, opts); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(args)
	if err != nil {
		return nil, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	at := now()
	opts = inkform.JobInsertOpts(args, opts)
	if opts.Queue == "" {
		opts.Queue = inkform.QueueDefault
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = defaultMaxAttempts
	}
	if opts.RunAt.IsZero() {
		opts.RunAt = at
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if opts.UniqueKey != "" {
		var dup *jobRec
		for _, rec := range q.jobs {
			j := rec.job
			if j.OrgID == orgID && j.Kind == args.Kind() && j.UniqueKey == opts.UniqueKey && rec.waiting() &&
				(dup == nil || j.ID < dup.job.ID) {
				dup = rec
			}
		}
		if dup != nil {
			return dup.copyJob(), nil
		}
	}
	if q.jobs == nil {
		q.jobs = map[int64]*jobRec{}
	}
	q.nextID++
	rec := &jobRec{job: inkform.Job{ID: q.nextID, OrgID: orgID, Queue: opts.Queue, Kind: args.Kind(), Args: raw,
		State: inkform.JobAvailable, Priority: opts.Priority, MaxAttempts: opts.MaxAttempts,
		RunAt: dbTime(opts.RunAt), UniqueKey: opts.UniqueKey, CreatedAt: at}, limitKey: opts.LimitKey}
	q.jobs[rec.job.ID] = rec
	return rec.copyJob(), nil
}

// ClaimJobs implements inkform.JobQueue.
func (q *JobQueue) ClaimJobs(ctx context.Context, queue, worker string, limit int, lease time.Duration, keyLimit inkform.KeyLimit) ([]*inkform.Job, error) {
	if err := q.Hook.call("ClaimJobs", queue, worker, limit, lease, keyLimit); err != nil {
		return nil, err
	}
	if limit <= 0 {
		return nil, nil
	}
	at := now()
	q.mu.Lock()
	defer q.mu.Unlock()
	orgs := map[string]bool{}
	for _, rec := range q.jobs {
		if rec.job.Queue != queue {
			continue
		}
		if rec.job.State == inkform.JobRetryable && !rec.job.RunAt.After(at) {
			rec.job.State = inkform.JobAvailable
		}
		if rec.job.State == inkform.JobAvailable {
			orgs[rec.job.OrgID] = true
		}
	}
	perKey := keyLimit.PerKey
	var running map[string]int // limit key → jobs running under worker's lease, but for the ended
	if perKey > 0 {
		running = map[string]int{}
		for _, rec := range q.jobs {
			if rec.job.Queue == queue && rec.job.State == inkform.JobRunning && rec.leasedBy == worker && rec.limitKey != "" &&
				!slices.Contains(keyLimit.Ended, rec.job.ID) {
				running[rec.limitKey]++
			}
		}
	}
	// At most maxClaimOrgs, those after the org served first last time
	// first, as the SQL store lists them.
	orgIDs := q.turns.Order(queue, slices.Sorted(maps.Keys(orgs)))
	orgIDs = slices.Sorted(slices.Values(orgIDs[:min(len(orgIDs), maxClaimOrgs)]))
	var ids []int64
	fillUp := len(orgIDs) <= 1
	if !fillUp {
		share := max(1, limit/len(orgIDs))
		first := ""
		for _, org := range q.turns.Order(queue, orgIDs) {
			if len(ids) >= limit {
				break
			}
			want := min(share, limit-len(ids))
			got := q.due(queue, org, at, want, ids, running, perKey)
			if first == "" && len(got) > 0 {
				first = org
			}
			ids = append(ids, got...)
			fillUp = fillUp || len(got) == want
		}
		if first != "" {
			q.turns.Served(queue, first)
		}
	}
	if fillUp && len(ids) < limit {
		ids = append(ids, q.due(queue, "", at, limit-len(ids), ids, running, perKey)...)
	}
	out := make([]*inkform.Job, len(ids))
	for i, id := range ids {
		rec := q.jobs[id]
		rec.job.State, rec.leasedBy, rec.leaseEnd = inkform.JobRunning, worker, at.Add(lease)
		rec.job.Attempt++
		out[i] = rec.copyJob()
	}
	return out, nil
}

// due returns up to n due available jobs of the queue — of one org, or of
// any for "" — in priority, due-time and ID order, skipping taken and the
// jobs whose limit key has perKey running (counted in running, which it
// updates; nil for no limit). Callers hold q.mu.
func (q *JobQueue) due(queue, org string, at time.Time, n int, taken []int64, running map[string]int, perKey int) []int64 {
	var recs []*jobRec
	for _, rec := range q.jobs {
		j := rec.job
		if j.Queue == queue && j.State == inkform.JobAvailable && (org == "" || j.OrgID == org) &&
			!j.RunAt.After(at) && !slices.Contains(taken, j.ID) {
			recs = append(recs, rec)
		}
	}
	slices.SortFunc(recs, func(a, b *jobRec) int {
		if a.job.Priority != b.job.Priority {
			return a.job.Priority - b.job.Priority
		}
		if c := a.job.RunAt.Compare(b.job.RunAt); c != 0 {
			return c
		}
		return int(a.job.ID - b.job.ID)
	})
	ids := make([]int64, 0, min(n, len(recs)))
	for _, rec := range recs {
		if len(ids) == n {
			break
		}
		if running != nil && rec.limitKey != "" {
			if running[rec.limitKey] >= perKey {
				continue
			}
			running[rec.limitKey]++
		}
		ids = append(ids, rec.job.ID)
	}
	return ids
}
