package main

import (
	"context"
	"log/slog"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/queue"
	"github.com/inkform/inkform/sqlstore"
	"github.com/prometheus/client_golang/prometheus"
)

// node is what every inkform process (serve or worker) runs on: the
// database, the object store, the metrics registry and, when configured,
// the background workers, woken at once by enqueues on this node.
type node struct {
	db      *sqlstore.DB
	blobs   inkform.BlobStore
	reg     *prometheus.Registry
	workers *queue.Client // nil without workers
}

// openNode opens the stores and starts the workers. The caller closes
// the node's database (after stopping the workers).
func openNode(ctx context.Context, store storeConfig, blob blobConfig, workers workerConfig, logger *slog.Logger) (*node, error) {
	db, err := store.open(ctx, logger)
	if err != nil {
		return nil, err
	}
	n := &node{db: db, reg: newRegistry()}
	if err := n.start(ctx, store, blob, workers, logger); err != nil {
		db.Close()
		return nil, err
	}
	return n, nil
}

func (n *node) start(ctx context.Context, store storeConfig, blob blobConfig, workers workerConfig, logger *slog.Logger) error {
	recs, err := newRecognizers(workers.recognizers, logger)
	if err != nil {
		return err
	}
	if n.blobs, err = blob.open(ctx, store.Data); err != nil {
		return err
	}
	// Workers outlive the start-up context: they stop with the node.
	n.workers, err = startWorkers(context.Background(), n.db, recs, n.blobs, workers, n.reg, logger)
	if err != nil {
		return err
	}
	if n.workers != nil {
		n.db.SetEnqueueHook(n.workers.Notify)
	}
	return nil
}
