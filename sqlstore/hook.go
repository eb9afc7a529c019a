package sqlstore

import (
	"context"
	"fmt"

	"github.com/inkform/inkform"
)

// SetEnqueueHook sets a function that is called with a job's queue after
// the transaction that enqueued the job has committed, so a worker in the
// same process can start on it at once instead of at its next poll.
func (db *DB) SetEnqueueHook(fn func(queue string)) {
	db.enqueued.Store(&fn)
}

// SetNotifier sets the notifier told of every committed enqueue, with an
// inkform.TopicJobs message naming the queue, so the workers of every node
// start at once (Redis pub/sub between nodes, or an inkform.LocalNotifier
// for a node alone). A listener started with Listen takes precedence.
func (db *DB) SetNotifier(n inkform.Notifier) {
	db.notifier.Store(&n)
}

// notifyEnqueued calls the enqueue hook, if one is set, and tells the
// notifier's subscribers. With a listener, the other nodes were told by the
// transaction itself (notifyTx), so only this node's subscribers are.
func (db *DB) notifyEnqueued(queue string) {
	if fn := db.enqueued.Load(); fn != nil && *fn != nil {
		(*fn)(queue)
	}
	if l := db.listener.Load(); l != nil {
		l.Deliver(inkform.TopicJobs, queue)
	} else if n := db.notifier.Load(); n != nil && *n != nil {
		// The notifier's transport sends in the background: an
		// unreachable Redis must not hold up the request that enqueued.
		_ = (*n).Publish(context.Background(), inkform.TopicJobs, queue)
	}
}

// notifyTx tells the other nodes, inside the transaction tx, that jobs of
// the queue become due when it commits. PostgreSQL sends a NOTIFY only on
// commit (and drops it on rollback), so no node looks for a job that is not
// yet there; elsewhere notifyEnqueued publishes after the commit instead.
func (db *DB) notifyTx(ctx context.Context, tx querier, queue string) error {
	l := db.listener.Load()
	if l == nil {
		return nil
	}
	if _, err := tx.exec(ctx, `SELECT pg_notify(?, ?)`, inkform.TopicJobs, l.Tag(queue)); err != nil {
		return fmt.Errorf("notify %s: %w", queue, err)
	}
	return nil
}
