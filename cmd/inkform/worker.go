package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	ihttp "github.com/inkform/inkform/http"
)

// workerNodeConfig is the configuration of `inkform worker`.
type workerNodeConfig struct {
	store           storeConfig
	blob            blobConfig
	log             logConfig
	workers         workerConfig
	cluster         clusterConfig
	AdminAddr       string
	MetricsToken    string
	ShutdownTimeout time.Duration
}

func (c *workerNodeConfig) register(fs *flag.FlagSet) {
	c.store.register(fs)
	c.blob.register(fs)
	c.log.register(fs)
	c.workers.register(fs, 4)
	c.cluster.register(fs)
	fs.StringVar(&c.AdminAddr, "admin-addr", "127.0.0.1:9090", "address of the admin port (/metrics, /healthz, /readyz)")
	fs.StringVar(&c.MetricsToken, "metrics-token", "", "bearer token that /metrics requires (default: none)")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", 30*time.Second, "on SIGTERM: how long running jobs may take before they are handed back")
}

// runWorker runs a worker-only node: it claims and works jobs, and serves
// /metrics, /healthz and /readyz on a small admin port for the autoscaler
// and the orchestrator. Nothing else listens.
func runWorker(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var cfg workerNodeConfig
	fs := newFlagSet("worker", "", stderr)
	cfg.register(fs)
	if _, err := parseArgs(fs, args, 0); err != nil {
		return err
	}
	if cfg.workers.Workers <= 0 {
		return fmt.Errorf("%w: a worker node needs --workers of at least 1", errUsage)
	}
	logger, err := cfg.log.logger(stderr)
	if err != nil {
		return err
	}
	n, err := openNode(ctx, nodeConfig{"worker", cfg.store, cfg.blob, cfg.workers, cfg.cluster}, logger)
	if err != nil {
		return err
	}
	defer n.closeWithin(cfg.ShutdownTimeout)
	reg, client := n.reg, n.workers

	// Readiness is the API's own, with its timeout and answers.
	ready := &ihttp.Server{Ready: n.ready, Logger: logger, Version: build().String()}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metricsHandler(reg, cfg.MetricsToken))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "{\"status\":\"ok\",\"version\":%q,\"worker\":%q}\n", build(), client.ID())
	})
	mux.Handle("GET /readyz", ready.ReadinessHandler())
	ln, err := net.Listen("tcp", cfg.AdminAddr)
	if err != nil {
		return fmt.Errorf("admin listen: %w", err)
	}
	admin := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go admin.Serve(ln)
	logger.Info("inkform worker running", "worker", client.ID(), "admin", ln.Addr().String(), "queues", cfg.workers.Queues)

	<-ctx.Done()
	ready.Drain()
	logger.Info("stopping: no new jobs; waiting for running ones", "timeout", cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	// The admin port answers (/healthz, /metrics) while jobs finish; the
	// node closes after it.
	n.stopWorkers(sctx)
	admin.Shutdown(sctx)
	return nil
}
