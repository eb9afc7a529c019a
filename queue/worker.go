// Package queue is inkform's background job runtime: typed workers, a claim
// loop per named queue over an inkform.JobQueue (sqlstore implements it for
// SQLite, PostgreSQL and MySQL), leases with heartbeats, a reaper for jobs of
// crashed workers, retries with exponential backoff and jitter, snooze and
// cancel, and Prometheus metrics.
//
// It follows River's design: jobs are typed arguments with a Kind, workers
// are Worker[T] with Work(ctx, job), and enqueueing happens in the caller's
// transaction (in the store) so no job points at nothing.
package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/inkform/inkform"
)

// Job is a job with its decoded arguments.
type Job[T inkform.JobArgs] struct {
	*inkform.Job
	Args T
}

// Worker does the work of one kind of job. Returning nil completes the job;
// an error retries it with backoff (or kills it when out of attempts);
// Snooze and Cancel errors do what they say.
type Worker[T inkform.JobArgs] interface {
	Work(ctx context.Context, job *Job[T]) error
}

// WorkFunc adapts a function to a Worker.
type WorkFunc[T inkform.JobArgs] func(ctx context.Context, job *Job[T]) error

// Work implements Worker.
func (f WorkFunc[T]) Work(ctx context.Context, job *Job[T]) error { return f(ctx, job) }

// WorkerOpts tune one kind of job.
type WorkerOpts struct {
	// Timeout bounds one attempt (default 1 minute).
	Timeout time.Duration
}

// Workers is the set of kinds a client can work, built with AddWorker.
type Workers struct {
	kinds map[string]workUnit
}

// workUnit runs one raw job for a kind, hiding its type parameter.
type workUnit struct {
	opts WorkerOpts
	work func(ctx context.Context, job *inkform.Job) error
}

// NewWorkers returns an empty set of workers.
func NewWorkers() *Workers {
	return &Workers{kinds: map[string]workUnit{}}
}

// AddWorker registers w for the kind of T. It panics when the kind is
// registered twice, which is a wiring bug found at start.
func AddWorker[T inkform.JobArgs](ws *Workers, w Worker[T], opts WorkerOpts) {
	var zero T
	kind := zero.Kind()
	if _, dup := ws.kinds[kind]; dup {
		panic(fmt.Sprintf("queue: worker for kind %q added twice", kind))
	}
	if opts.Timeout <= 0 {
		opts.Timeout = time.Minute
	}
	ws.kinds[kind] = workUnit{opts: opts, work: func(ctx context.Context, raw *inkform.Job) error {
		var args T
		if err := json.Unmarshal(raw.Args, &args); err != nil {
			// Arguments that cannot be decoded never will be: no retry.
			return Cancel(fmt.Errorf("decode %s args: %w", kind, err))
		}
		return w.Work(ctx, &Job[T]{Job: raw, Args: args})
	}}
}

// Kinds lists the registered kinds.
func (ws *Workers) Kinds() []string {
	kinds := make([]string, 0, len(ws.kinds))
	for k := range ws.kinds {
		kinds = append(kinds, k)
	}
	return kinds
}
