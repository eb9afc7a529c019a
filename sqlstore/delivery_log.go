package sqlstore

import (
	"context"
	"slices"
	"time"

	"github.com/inkform/inkform"
)

// maxDeliveryBatch bounds the records one delivery-log transaction writes.
const maxDeliveryBatch = 128

// deliveryLog writes delivery records in shared transactions. Every
// delivery ends with a record, and on SQLite (one writer, a sync per
// commit) a transaction each would cap deliveries at the commit rate. One
// goroutine takes whatever records are waiting and writes them together;
// it never waits for more, so a lone record is written at once, and while
// one transaction commits the next batch gathers by itself. Each caller
// still returns only after its record is committed.
type deliveryLog struct {
	in chan *deliveryRecord // read by writeDeliveryLog, started by Open
}

// deliveryRecord is one RecordDelivery call waiting for its commit.
type deliveryRecord struct {
	orgID string
	d     *inkform.Delivery
	// redoable is the caller's inkform.RedoableWrites.
	redoable bool
	done     chan error
}

// record hands d to the writer and waits for its commit.
func (l *deliveryLog) record(ctx context.Context, db *DB, orgID string, d *inkform.Delivery) error {
	r := &deliveryRecord{orgID: orgID, d: d, redoable: inkform.RedoableWrites(ctx), done: make(chan error, 1)}
	select {
	case l.in <- r:
	case <-db.stop:
		return inkform.Errorf(inkform.EUNAVAILABLE, "the store is closed")
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		return ctx.Err() // the record may still be written
	}
}

// writeDeliveryLog is the writer goroutine.
func (db *DB) writeDeliveryLog(in chan *deliveryRecord) {
	defer db.bg.Done()
	for {
		var batch []*deliveryRecord
		select {
		case r := <-in:
			batch = append(batch, r)
		case <-db.stop:
			return
		}
	gather:
		for len(batch) < maxDeliveryBatch {
			select {
			case r := <-in:
				batch = append(batch, r)
			default:
				break gather
			}
		}
		db.writeDeliveries(batch)
	}
}

// writeDeliveries writes a batch in one transaction. A record whose
// subscription is gone gets ENOTFOUND without spoiling the others; when the
// transaction itself fails, each record is tried alone so one bad record
// cannot fail its neighbours.
func (db *DB) writeDeliveries(batch []*deliveryRecord) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// The batch waits for the disk unless every record may be redone.
	if !slices.ContainsFunc(batch, func(r *deliveryRecord) bool { return !r.redoable }) {
		ctx = inkform.WithRedoableWrites(ctx)
	}
	errs := make([]error, len(batch))
	err := db.inWrite(ctx, func(tx querier) error {
		q := tx.prepared() // the same few statements for every record
		for i, r := range batch {
			errs[i] = db.recordDeliveryTx(ctx, q, r.orgID, r.d)
			if errs[i] != nil && inkform.ErrorCode(errs[i]) != inkform.ENOTFOUND {
				return errs[i]
			}
		}
		return nil
	})
	if err != nil && len(batch) > 1 {
		for _, r := range batch {
			// A fresh deadline each: the batch may have failed because
			// its own ran out.
			one, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			if r.redoable {
				one = inkform.WithRedoableWrites(one)
			}
			r.done <- db.inWrite(one, func(tx querier) error { return db.recordDeliveryTx(one, tx, r.orgID, r.d) })
			cancel()
		}
		return
	}
	for i, r := range batch {
		if err != nil {
			errs[i] = err
		}
		r.done <- errs[i]
	}
}
