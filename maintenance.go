package inkform

import (
	"context"
	"time"
)

// MaintenanceArgs asks for the server's periodic housekeeping: purging the
// documents whose form's retention has run out and pruning old webhook
// delivery records. It carries no arguments because each run looks at the
// state of the whole database; the job is enqueued with the empty org ID
// as a system job, on a schedule (queue.PeriodicJob), so a run must be
// harmless when it repeats or overlaps another.
type MaintenanceArgs struct{}

// Kind implements JobArgs.
func (MaintenanceArgs) Kind() string { return "maintenance" }

// DocumentRef names a document together with its org, for system jobs
// that work across orgs.
type DocumentRef struct {
	OrgID string
	ID    string
}

// RetentionStore finds and purges, across orgs, the documents whose form's
// retention has run out, for the maintenance job.
type RetentionStore interface {
	// ExpiredDocuments lists up to limit documents whose form's retention
	// has run out at now. The list may be stale (read from a replica).
	ExpiredDocuments(ctx context.Context, now time.Time, limit int) ([]DocumentRef, error)
	// PurgeExpiredDocument purges a listed document, rows only, as
	// DocumentPurger.PurgeDocument does, unless it is no longer expired at
	// now when its row is locked; it reports whether it purged. ENOTFOUND
	// when the document is gone already.
	PurgeExpiredDocument(ctx context.Context, orgID, id, actor string, now time.Time) (bool, error)
}
