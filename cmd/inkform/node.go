package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/queue"
	"github.com/inkform/inkform/sqlstore"
	"github.com/prometheus/client_golang/prometheus"
)

// node is what every inkform process (serve or worker) runs on: the
// database, the object store, the metrics registry and, when configured,
// the background workers, woken at once by enqueues on this node. It has
// joined the cluster: its shared settings match those in the database.
type node struct {
	db      *sqlstore.DB
	blobs   inkform.BlobStore
	reg     *prometheus.Registry
	workers *queue.Client // nil without workers
	// notifier carries wake-ups and cache news between nodes
	// (notify.go); closeNotifier stops its transport, if it has one.
	notifier      inkform.Notifier
	closeNotifier func() error
	watch         *clusterWatch // nil when the settings are checked only at start
	logger        *slog.Logger

	stopOnce  sync.Once
	closeOnce sync.Once
}

// nodeConfig is what openNode needs: the command that runs the node (for
// the cluster's record) and its flags.
type nodeConfig struct {
	command string
	store   storeConfig
	blob    blobConfig
	workers workerConfig
	cluster clusterConfig
}

// openNode opens the stores, checks the node against the cluster's shared
// settings and starts the workers. The caller closes the node on every way
// out (closeWithin in a defer).
func openNode(ctx context.Context, cfg nodeConfig, logger *slog.Logger) (*node, error) {
	db, err := cfg.store.open(ctx, logger)
	if err != nil {
		return nil, err
	}
	n := &node{db: db, reg: newRegistry(), logger: logger}
	n.reg.MustRegister(replicaCollector{db: db})
	if err := n.start(ctx, cfg, logger); err != nil {
		n.Close(context.Background())
		return nil, err
	}
	return n, nil
}

func (n *node) start(ctx context.Context, cfg nodeConfig, logger *slog.Logger) error {
	recs, err := newRecognizers(cfg.workers.recognizers, logger)
	if err != nil {
		return err
	}
	if n.blobs, err = cfg.blob.open(ctx, cfg.store.Data); err != nil {
		return err
	}
	// Before any job runs: a worker with another key or object store
	// would fail its jobs, or do them where no other node looks.
	self := func(ctx context.Context) (inkform.ClusterNode, error) {
		return clusterNode(ctx, cfg.command, cfg.store, cfg.blob, n.blobs)
	}
	me, err := self(ctx)
	if err != nil {
		return err
	}
	if err := joinCluster(ctx, n.db, me); err != nil {
		return err
	}
	if cfg.cluster.CheckInterval > 0 {
		n.watch = startClusterWatch(n.db, self, cfg.cluster.CheckInterval, logger)
	}
	// Before the workers, which subscribe to it.
	if n.notifier, n.closeNotifier, err = openNotifier(cfg.cluster.Redis, "", n.db, logger); err != nil {
		return err
	}
	// Workers outlive the start-up context: they stop with the node.
	n.workers, err = startWorkers(context.Background(), n.db, recs, n.blobs, cfg.workers, n.notifier, n.reg, logger)
	return err
}

// ready is the node's readiness: the database answers and the node's
// settings still match the cluster's.
func (n *node) ready(ctx context.Context) error {
	if err := n.db.Ping(ctx); err != nil {
		return err
	}
	if n.watch != nil {
		return n.watch.ready()
	}
	return nil
}

// stopWorkers stops claiming jobs and lets running ones finish until ctx is
// done; jobs still running then are handed back to the queue for another
// node. Calls after the first do nothing.
func (n *node) stopWorkers(ctx context.Context) {
	n.stopOnce.Do(func() {
		if n.workers == nil {
			return
		}
		if err := n.workers.Stop(ctx); err != nil {
			n.logger.Warn("jobs still running at the deadline were handed back", "err", err)
		}
	})
}

// Close stops the workers as stopWorkers does, then closes the blob store
// (when it holds resources) and the database, in that order: a job must
// never run on a closed database. Calls after the first do nothing.
func (n *node) Close(ctx context.Context) error {
	n.stopWorkers(ctx)
	var err error
	n.closeOnce.Do(func() {
		if n.watch != nil {
			n.watch.close()
		}
		if n.closeNotifier != nil {
			if cerr := n.closeNotifier(); cerr != nil {
				err = fmt.Errorf("close notifier: %w", cerr)
			}
		}
		if c, ok := n.blobs.(io.Closer); ok {
			if cerr := c.Close(); cerr != nil {
				err = fmt.Errorf("close blob store: %w", cerr)
			}
		}
		if cerr := n.db.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close database: %w", cerr))
		}
	})
	return err
}

// closeWithin closes the node, giving running jobs up to timeout, for a
// deferred call that covers every way out of a command; what fails to close
// is logged, since the command's own error matters more.
func (n *node) closeWithin(timeout time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := n.Close(ctx); err != nil {
		n.logger.Warn("close node", "err", err)
	}
}
