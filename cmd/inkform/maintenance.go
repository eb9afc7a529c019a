package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/queue"
)

// Defaults of the maintenance job.
const (
	defaultMaintenanceBudget = 5 * time.Minute
	maintenanceBatch         = 100
	pruneBatch               = 1000
	// maintenanceMaxFailures ends a run's purging when that many
	// documents failed: something is wrong beyond one document, and the
	// next run tries again.
	maintenanceMaxFailures = 100
	// retentionActor names the purger in audit events.
	retentionActor = "retention"
)

// maintenanceStore is what the maintenance job needs of the database;
// *sqlstore.DB has it.
type maintenanceStore interface {
	// PurgeExpiredDocument purges a listed document unless it is no
	// longer expired when its row is locked.
	PurgeExpiredDocument(ctx context.Context, orgID, id, actor string, now time.Time) (bool, error)
	ExpiredDocuments(ctx context.Context, now time.Time, limit int) ([]inkform.DocumentRef, error)
	PruneDeliveries(ctx context.Context, before time.Time, limit int) (int, error)
}

// maintenanceWorker does the periodic housekeeping of inkform.MaintenanceArgs:
// it purges the documents whose form's retention ran out, rows and blobs,
// and prunes the webhook delivery log. Both are idempotent, as periodic
// jobs must be: a second run finds nothing left to do.
type maintenanceWorker struct {
	db     maintenanceStore
	blobs  inkform.BlobStore
	logger *slog.Logger
	// deliveryRetention is how long delivery log entries are kept; zero
	// keeps them forever.
	deliveryRetention time.Duration
	// budget bounds one run (default defaultMaintenanceBudget); what is
	// left waits for the next run, so one run never holds a worker long.
	budget time.Duration
	// now is the clock; nil means time.Now.
	now func() time.Time
}

// maintenancePeriodic schedules the maintenance job every interval (a whole
// number of seconds) on every node; the queue enqueues one job per slot.
func maintenancePeriodic(interval time.Duration) queue.PeriodicJob {
	return queue.PeriodicJob{
		Name:     "maintenance",
		Interval: interval,
		Args:     func() inkform.JobArgs { return inkform.MaintenanceArgs{} },
		// A failed run is retried a little, then the next slot's run
		// picks up what is left.
		Opts: inkform.EnqueueOpts{Queue: inkform.QueueDefault, MaxAttempts: 3},
	}
}

// Work implements queue.Worker.
func (w *maintenanceWorker) Work(ctx context.Context, job *queue.Job[inkform.MaintenanceArgs]) error {
	budget := w.budget
	if budget <= 0 {
		budget = defaultMaintenanceBudget
	}
	deadline := time.Now().Add(budget)
	purged, failed, perr := w.purgeExpired(ctx, deadline)
	pruned, derr := w.pruneDeliveries(ctx, deadline)
	w.logger.Info("maintenance done", "purged", purged, "purge_failed", failed, "deliveries_pruned", pruned)
	return errors.Join(perr, derr)
}

func (w *maintenanceWorker) clock() time.Time {
	if w.now != nil {
		return w.now()
	}
	return time.Now()
}

// purgeExpired purges expired documents in batches until none is left or
// the deadline passes. A document that fails is logged and skipped, so one
// bad document cannot stop retention for all others.
func (w *maintenanceWorker) purgeExpired(ctx context.Context, deadline time.Time) (purged, failed int, err error) {
	skip := map[inkform.DocumentRef]bool{}
	for time.Now().Before(deadline) && len(skip) < maintenanceMaxFailures {
		// Documents that failed are listed again; asking for that many
		// more keeps them from filling the batch.
		want := maintenanceBatch + len(skip)
		refs, err := w.db.ExpiredDocuments(ctx, w.clock(), want)
		if err != nil {
			return purged, failed, fmt.Errorf("retention: %w", err)
		}
		progress := false
		for _, r := range refs {
			if skip[r] || !time.Now().Before(deadline) {
				continue
			}
			if err := w.purge(ctx, r); err != nil {
				if ctx.Err() != nil {
					return purged, failed, fmt.Errorf("retention: %w", ctx.Err())
				}
				w.logger.Error("retention purge failed", "org", r.OrgID, "document", r.ID, "err", err)
				skip[r] = true
				failed++
				continue
			}
			purged++
			progress = true
		}
		if len(refs) < want || !progress {
			break
		}
	}
	return purged, failed, nil
}

// purge removes one document's rows, then its objects. A document another
// node purged meanwhile is gone already; its objects are deleted anyway,
// which is harmless when they are gone too.
func (w *maintenanceWorker) purge(ctx context.Context, r inkform.DocumentRef) error {
	purged, err := w.db.PurgeExpiredDocument(ctx, r.OrgID, r.ID, retentionActor, w.clock())
	if err != nil && inkform.ErrorCode(err) != inkform.ENOTFOUND {
		return fmt.Errorf("purge document: %w", err)
	} else if err == nil && !purged {
		return nil // no longer expired: kept, with its objects
	}
	if w.blobs == nil {
		return nil
	}
	// With the rows gone the document is not listed again, so objects
	// left by a failure here stay until someone deletes them; the error
	// log names the document.
	if _, err := inkform.PurgeDocumentBlobs(ctx, w.blobs, r.OrgID, r.ID); err != nil {
		return fmt.Errorf("purge objects (rows are gone): %w", err)
	}
	return nil
}

// pruneDeliveries deletes delivery log entries older than the retention,
// a batch per transaction, until fewer than a batch are left or the
// deadline passes.
func (w *maintenanceWorker) pruneDeliveries(ctx context.Context, deadline time.Time) (int, error) {
	if w.deliveryRetention <= 0 {
		return 0, nil
	}
	before := w.clock().Add(-w.deliveryRetention)
	total := 0
	for time.Now().Before(deadline) {
		n, err := w.db.PruneDeliveries(ctx, before, pruneBatch)
		total += n
		if err != nil {
			return total, fmt.Errorf("prune deliveries: %w", err)
		}
		if n < pruneBatch {
			break
		}
	}
	return total, nil
}
