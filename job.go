package inkform

import (
	"context"
	"encoding/json"
	"time"
)

// JobArgs are the typed arguments of a job; Kind names the worker for them.
type JobArgs interface {
	Kind() string
}

// JobState is where a job is in its life.
type JobState string

// Job states.
const (
	JobAvailable JobState = "available" // may be claimed at RunAt
	JobRunning   JobState = "running"   // claimed by a worker holding a lease
	JobRetryable JobState = "retryable" // failed; available again at RunAt
	JobCompleted JobState = "completed"
	JobCancelled JobState = "cancelled"
	JobDead      JobState = "dead" // out of attempts; kept for an admin to retry
)

// Queue names.
const (
	QueueDefault   = "default"
	QueueInterpret = "interpret"
	QueueRender    = "render"
	QueueDeliver   = "deliver"
)

// Job is a unit of background work stored in the database.
type Job struct {
	ID          int64           `json:"id"`
	OrgID       string          `json:"-"`
	Queue       string          `json:"queue"`
	Kind        string          `json:"kind"`
	Args        json.RawMessage `json:"args"`
	State       JobState        `json:"state"`
	Priority    int             `json:"priority"`
	Attempt     int             `json:"attempt"`
	MaxAttempts int             `json:"maxAttempts"`
	RunAt       time.Time       `json:"runAt"`
	UniqueKey   string          `json:"uniqueKey,omitempty"`
	LastError   string          `json:"lastError,omitempty"`
	CreatedAt   time.Time       `json:"createdAt"`
	FinishedAt  *time.Time      `json:"finishedAt,omitempty"`
}

// EnqueueOpts tunes one enqueue. Zero values take the kind's defaults.
type EnqueueOpts struct {
	Queue       string
	Priority    int
	MaxAttempts int
	RunAt       time.Time
	// UniqueKey, when set, makes the enqueue a no-op while a job of the
	// same org, kind and key waits to run (a running one does not count:
	// it may have read its data before the enqueuing change).
	UniqueKey string
	// LimitKey, when set, names what the job's kind limits the running
	// jobs of (a delivery's handler): a claim that passes a per-key limit
	// skips the jobs whose key has that many running on the claiming node.
	LimitKey string
}

// JobArgsWithInsertOpts are JobArgs that carry their own enqueue options,
// as River's do, so every enqueue of a kind gets them without each caller
// repeating them. Options given to the enqueue override them field by
// field (JobInsertOpts).
type JobArgsWithInsertOpts interface {
	JobArgs
	InsertOpts() EnqueueOpts
}

// JobInsertOpts returns the options an enqueue of args with opts uses:
// each field set in opts, else the field of the args' own InsertOpts, else
// zero (the queue's default). A JobQueue calls it at every enqueue.
func JobInsertOpts(args JobArgs, opts EnqueueOpts) EnqueueOpts {
	a, ok := args.(JobArgsWithInsertOpts)
	if !ok {
		return opts
	}
	own := a.InsertOpts()
	if opts.Queue == "" {
		opts.Queue = own.Queue
	}
	if opts.Priority == 0 {
		opts.Priority = own.Priority
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = own.MaxAttempts
	}
	if opts.RunAt.IsZero() {
		opts.RunAt = own.RunAt
	}
	if opts.UniqueKey == "" {
		opts.UniqueKey = own.UniqueKey
	}
	if opts.LimitKey == "" {
		opts.LimitKey = own.LimitKey
	}
	return opts
}

// DocumentJobArgs are JobArgs of work on one document. A JobQueue stores
// the document's ID beside the job, so that a document's jobs are found
// (woken, deleted with it) without reading every job's args.
type DocumentJobArgs interface {
	JobArgs
	JobDocumentID() string
}

// JobDocumentID returns the document args work on, or "" when they are
// not DocumentJobArgs.
func JobDocumentID(args JobArgs) string {
	if d, ok := args.(DocumentJobArgs); ok {
		return d.JobDocumentID()
	}
	return ""
}

// InterpretArgs asks for a document's ink to be interpreted into field values.
type InterpretArgs struct {
	DocumentID string `json:"documentId"`
}

// Kind implements JobArgs.
func (InterpretArgs) Kind() string { return "interpret" }

// InsertOpts implements JobArgsWithInsertOpts: one pending interpretation
// per document is enough, since a job reads the document's ink as it is
// when it runs.
func (a InterpretArgs) InsertOpts() EnqueueOpts {
	return EnqueueOpts{Queue: QueueInterpret, UniqueKey: a.DocumentID}
}

// JobDocumentID implements DocumentJobArgs.
func (a InterpretArgs) JobDocumentID() string { return a.DocumentID }

// JobFilter selects jobs to list.
type JobFilter struct {
	State JobState
	Kind  string
	After int64 // cursor: jobs with IDs after this one
	Limit int
}

// JobService lets admins see and retry an org's jobs.
type JobService interface {
	ListJobs(ctx context.Context, orgID string, filter JobFilter) ([]*Job, error)
	// RetryJob makes a dead, cancelled or retryable job available now,
	// with its attempts (and reaps) counted afresh. A job in another
	// state → ECONFLICT; another org's job → ENOTFOUND.
	RetryJob(ctx context.Context, orgID string, id int64) error
}
