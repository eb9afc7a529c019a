package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/queue"
)

// Limits of one maintenance run.
const (
	// maintenanceBudget bounds one run; what is left waits for the next
	// run, so one run never holds a worker long.
	maintenanceBudget = 5 * time.Minute
	maintenanceBatch  = 100
	pruneBatch        = 1000
	// maintenanceMaxFailures ends a run's purging when that many
	// documents failed: something is wrong beyond one document, and the
	// next run tries again.
	maintenanceMaxFailures = 100
	// retentionActor names the purger in audit events.
	retentionActor = "retention"
)

// MaintenanceWorker does the periodic housekeeping of
// inkform.MaintenanceArgs: it purges the documents whose form's retention
// ran out, rows and objects, and prunes the subscriptions' delivery log.
// Both are idempotent, as periodic jobs must be: a second run finds nothing
// left to do.
type MaintenanceWorker struct {
	Retention  inkform.RetentionStore
	Deliveries inkform.DeliveryPruner
	// Blobs holds the documents' objects; nil purges rows only.
	Blobs  inkform.BlobStore
	Logger *slog.Logger
	// DeliveryRetention is how long delivery log entries are kept; zero
	// keeps them forever.
	DeliveryRetention time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// MaintenancePeriodic schedules the maintenance job every interval (a whole
// number of seconds) on every node; the queue enqueues one job per slot.
func MaintenancePeriodic(interval time.Duration) queue.PeriodicJob {
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
func (w *MaintenanceWorker) Work(ctx context.Context, job *queue.Job[inkform.MaintenanceArgs]) error {
	deadline := time.Now().Add(maintenanceBudget)
	purged, failed, perr := w.purgeExpired(ctx, deadline)
	pruned, derr := w.pruneDeliveries(ctx, deadline)
	w.Logger.Info("maintenance done", "purged", purged, "purge_failed", failed, "deliveries_pruned", pruned)
	return errors.Join(perr, derr)
}

func (w *MaintenanceWorker) clock() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

// purgeExpired purges expired documents in batches until none is left or
// the deadline passes. A document that fails is logged and skipped, so one
// bad document cannot stop retention for all others.
func (w *MaintenanceWorker) purgeExpired(ctx context.Context, deadline time.Time) (purged, failed int, err error) {
	skip := map[inkform.DocumentRef]bool{}
	for time.Now().Before(deadline) && len(skip) < maintenanceMaxFailures {
		// Documents that failed are listed again; asking for that many
		// more keeps them from filling the batch.
		want := maintenanceBatch + len(skip)
		refs, err := w.Retention.ExpiredDocuments(ctx, w.clock(), want)
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
				w.Logger.Error("retention purge failed", "org", r.OrgID, "document", r.ID, "err", err)
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
func (w *MaintenanceWorker) purge(ctx context.Context, r inkform.DocumentRef) error {
	purged, err := w.Retention.PurgeExpiredDocument(ctx, r.OrgID, r.ID, retentionActor, w.clock())
	if err != nil && inkform.ErrorCode(err) != inkform.ENOTFOUND {
		return fmt.Errorf("purge document: %w", err)
	} else if err == nil && !purged {
		return nil // no longer expired: kept, with its objects
	}
	if w.Blobs == nil {
		return nil
	}
	// With the rows gone the document is not listed again, so objects
	// left by a failure here stay until someone deletes them; the error
	// log names the document.
	if _, err := inkform.PurgeDocumentBlobs(ctx, w.Blobs, r.OrgID, r.ID); err != nil {
		return fmt.Errorf("purge objects (rows are gone): %w", err)
	}
	return nil
}

// pruneDeliveries deletes delivery log entries older than the retention,
// a batch per transaction, until fewer than a batch are left or the
// deadline passes.
func (w *MaintenanceWorker) pruneDeliveries(ctx context.Context, deadline time.Time) (int, error) {
	if w.DeliveryRetention <= 0 {
		return 0, nil
	}
	before := w.clock().Add(-w.DeliveryRetention)
	total := 0
	for time.Now().Before(deadline) {
		n, err := w.Deliveries.PruneDeliveries(ctx, before, pruneBatch)
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
