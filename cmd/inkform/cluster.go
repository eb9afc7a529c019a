package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// clusterConfig tunes the check of a node's shared settings.
type clusterConfig struct {
	CheckInterval time.Duration
	Redis         string
}

func (c *clusterConfig) register(fs *flag.FlagSet) {
	fs.DurationVar(&c.CheckInterval, "cluster-check-interval", time.Minute, "how often a running node compares its shared settings (object store, secret key, schema) with the cluster's again; a node that differs answers /readyz with 503 and says which (0: only at start)")
	fs.StringVar(&c.Redis, "redis", "", "redis://[:password@]host:port[/db] (rediss:// for TLS): nodes wake each other through Redis pub/sub when jobs are enqueued and tell each other of revoked tokens, on any database (default: PostgreSQL's LISTEN/NOTIFY on PostgreSQL, else polling); while Redis is down the nodes poll")
}

// resetHint ends every refusal: the way out when the change is deliberate.
const resetHint = "If this node's settings are the ones the cluster should use from now on, run " +
	"`inkform cluster reset-settings` with this node's flags; every node with the old settings then stops being ready (docs/deploy.md)."

// clusterNode returns what this node brings to the cluster check: the
// object store's ID and the secret key's fingerprint, with where each comes
// from and what to do when it differs.
func clusterNode(ctx context.Context, command string, store storeConfig, blob blobConfig, blobs inkform.BlobStore) (inkform.ClusterNode, error) {
	key, err := store.secretKey()
	if err != nil {
		return inkform.ClusterNode{}, err
	}
	keySetting := inkform.ClusterSetting{
		Name: inkform.SettingSecretKey, Value: inkform.SecretKeyFingerprint(key),
		Detail: "--secret-key or INKFORM_SECRET_KEY",
		Hint:   "Set INKFORM_SECRET_KEY on this node to the cluster's key: every serve and worker node needs the same one.",
	}
	if store.SecretKey == "" {
		path, _ := filepath.Abs(filepath.Join(store.Data, "secret.key"))
		keySetting.Detail = "the key file " + path + ", made by a start without INKFORM_SECRET_KEY"
	}
	ider, ok := blobs.(inkform.BlobStoreIdentifier)
	if !ok {
		return inkform.ClusterNode{}, errors.New("the object store cannot tell its identity")
	}
	id, desc, err := ider.BlobStoreID(ctx)
	if err != nil {
		return inkform.ClusterNode{}, fmt.Errorf("object store: %w", err)
	}
	blobSetting := inkform.ClusterSetting{Name: inkform.SettingBlobStore, Value: id, Detail: desc,
		Hint: "Give every node the same --blob URL."}
	if blob.URL == "" {
		blobSetting.Hint = "Every node must reach the same objects: give all nodes the same --blob s3://… URL " +
			"(or one shared --data folder); with a folder of its own a node cannot find the PDFs the others made."
	}
	host, _ := os.Hostname()
	return inkform.ClusterNode{
		Name:     command + " on " + host,
		Settings: []inkform.ClusterSetting{blobSetting, keySetting},
		Schema:   sqlstore.MigrationsVersion(),
	}, nil
}

// joinCluster runs the cluster check; a refusal ends with the way out.
func joinCluster(ctx context.Context, reg inkform.ClusterRegistry, node inkform.ClusterNode) error {
	err := inkform.JoinCluster(ctx, reg, node)
	var m *inkform.ClusterMismatchError
	if errors.As(err, &m) {
		return fmt.Errorf("%w\n%s", err, resetHint)
	}
	return err
}

// clusterWatch checks a running node against the cluster's settings now and
// then, so that a node whose settings were changed under it (by a reset)
// leaves the load balancer, and /readyz says why.
type clusterWatch struct {
	reg    inkform.ClusterRegistry
	node   func(ctx context.Context) (inkform.ClusterNode, error)
	logger *slog.Logger

	mu       sync.Mutex
	mismatch error // the last check's refusal, nil while the settings agree

	stop chan struct{}
	done chan struct{}
}

// startClusterWatch checks every interval until stopped.
func startClusterWatch(reg inkform.ClusterRegistry, node func(context.Context) (inkform.ClusterNode, error), interval time.Duration, logger *slog.Logger) *clusterWatch {
	w := &clusterWatch{reg: reg, node: node, logger: logger, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-w.stop:
				return
			case <-t.C:
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				w.check(ctx)
				cancel()
			}
		}
	}()
	return w
}

// check runs the cluster check once. An error that is no refusal (the
// database or the object store is away) changes nothing: readiness reports
// an unreachable database by itself, and a refusal needs evidence.
func (w *clusterWatch) check(ctx context.Context) {
	node, err := w.node(ctx)
	if err == nil {
		err = joinCluster(ctx, w.reg, node)
	}
	var m *inkform.ClusterMismatchError
	if err != nil && !errors.As(err, &m) {
		w.logger.Warn("cluster check failed", "err", err)
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case err != nil && w.mismatch == nil:
		w.logger.Error("this node's settings no longer match the cluster's; it answers /readyz with 503", "err", err)
	case err == nil && w.mismatch != nil:
		w.logger.Info("this node's settings match the cluster's again")
	}
	w.mismatch = err
}

// ready returns the last check's refusal.
func (w *clusterWatch) ready() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.mismatch
}

// close stops the checks and waits for a running one.
func (w *clusterWatch) close() {
	close(w.stop)
	<-w.done
}
