package queue_test

import (
	"context"
	"encoding/json"
	"sort"
	"sync"
	"time"

	"github.com/inkform/inkform"
)

// memStore is an in-memory inkform.JobQueue for the runtime's unit tests;
// sqlstore's conformance suite tests the real ones.
type memStore struct {
	mu     sync.Mutex
	nextID int64
	jobs   map[int64]*memJob
}

type memJob struct {
	inkform.Job
	leasedBy string
	leaseEnd time.Time
	done     int // times completed
}

func newMemStore() *memStore { return &memStore{jobs: map[int64]*memJob{}} }

func (s *memStore) Enqueue(ctx context.Context, orgID string, args inkform.JobArgs, o inkform.EnqueueOpts) (*inkform.Job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	raw, _ := json.Marshal(args)
	s.nextID++
	if o.MaxAttempts == 0 {
		o.MaxAttempts = 25
	}
	if o.Queue == "" {
		o.Queue = inkform.QueueDefault
	}
	j := &memJob{Job: inkform.Job{ID: s.nextID, OrgID: orgID, Queue: o.Queue, Kind: args.Kind(), Args: raw,
		State: inkform.JobAvailable, MaxAttempts: o.MaxAttempts, RunAt: o.RunAt}}
	s.jobs[j.ID] = j
	c := j.Job
	return &c, nil
}

func (s *memStore) ClaimJobs(ctx context.Context, queue, worker string, max int, lease time.Duration) ([]*inkform.Job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []int64
	for id, j := range s.jobs {
		due := j.State == inkform.JobAvailable || j.State == inkform.JobRetryable
		if j.Queue == queue && due && !j.RunAt.After(time.Now()) {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(a, b int) bool { return ids[a] < ids[b] })
	var out []*inkform.Job
	for _, id := range ids[:min(max, len(ids))] {
		j := s.jobs[id]
		j.State, j.leasedBy, j.leaseEnd = inkform.JobRunning, worker, time.Now().Add(lease)
		j.Attempt++
		c := j.Job
		out = append(out, &c)
	}
	return out, nil
}

func (s *memStore) held(worker string, id int64) *memJob {
	if j := s.jobs[id]; j != nil && j.State == inkform.JobRunning && j.leasedBy == worker {
		return j
	}
	return nil
}

func (s *memStore) ExtendLeases(ctx context.Context, worker string, ids []int64, lease time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		if j := s.held(worker, id); j != nil {
			j.leaseEnd = time.Now().Add(lease)
		}
	}
	return nil
}

func (s *memStore) CompleteJobs(ctx context.Context, worker string, ids []int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		if j := s.held(worker, id); j != nil {
			j.State = inkform.JobCompleted
			j.done++
		}
	}
	return nil
}

func (s *memStore) FailJob(ctx context.Context, worker string, id int64, msg string, retryAt time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if j := s.held(worker, id); j != nil {
		j.LastError = msg
		if retryAt.IsZero() || j.Attempt >= j.MaxAttempts {
			j.State = inkform.JobDead
		} else {
			j.State, j.RunAt = inkform.JobRetryable, retryAt
		}
	}
	return nil
}

func (s *memStore) SnoozeJob(ctx context.Context, worker string, id int64, runAt time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if j := s.held(worker, id); j != nil {
		j.State, j.RunAt = inkform.JobAvailable, runAt
		j.Attempt--
	}
	return nil
}

func (s *memStore) CancelJob(ctx context.Context, worker string, id int64, reason string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if j := s.held(worker, id); j != nil {
		j.State, j.LastError = inkform.JobCancelled, reason
	}
	return nil
}

func (s *memStore) ReleaseJobs(ctx context.Context, worker string, ids []int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		if j := s.held(worker, id); j != nil {
			j.State, j.RunAt = inkform.JobAvailable, time.Now()
			j.Attempt--
		}
	}
	return nil
}

func (s *memStore) ReapJobs(ctx context.Context) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, j := range s.jobs {
		if j.State == inkform.JobRunning && j.leaseEnd.Before(time.Now()) {
			j.State, j.RunAt = inkform.JobRetryable, time.Now()
			n++
		}
	}
	return n, nil
}

func (s *memStore) QueueStats(ctx context.Context) ([]inkform.QueueStat, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	counts := map[[2]string]int{}
	for _, j := range s.jobs {
		counts[[2]string{j.Queue, string(j.State)}]++
	}
	var out []inkform.QueueStat
	for k, n := range counts {
		out = append(out, inkform.QueueStat{Queue: k[0], State: inkform.JobState(k[1]), Count: n})
	}
	return out, nil
}

func (s *memStore) job(id int64) memJob {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.jobs[id]
}
