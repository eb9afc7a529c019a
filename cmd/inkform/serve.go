package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/cutout"
	ihttp "github.com/inkform/inkform/http"
	"github.com/inkform/inkform/inkml"
	"github.com/inkform/inkform/pdf"
	"github.com/inkform/inkform/sqlstore"
)

// serveConfig is the configuration of `inkform serve`.
type serveConfig struct {
	store   storeConfig
	blob    blobConfig
	log     logConfig
	workers workerConfig
	cluster clusterConfig
	sso     ssoConfig

	Addr            string
	TLSCert         string
	TLSKey          string
	BehindTLSProxy  bool
	RedirectAddr    string
	MetricsToken    string
	MaxBody         int64
	MaxPoints       int
	MaxTraces       int
	MaxPages        int
	TokenCacheTTL   time.Duration
	TrustedProxies  prefixList
	InkMemory       int64
	ShutdownTimeout time.Duration
	DrainDelay      time.Duration
	Demo            bool
	CPUProfile      string
}

func (c *serveConfig) register(fs *flag.FlagSet) {
	c.store.register(fs)
	c.blob.register(fs)
	c.log.register(fs)
	c.workers.register(fs, 2)
	c.cluster.register(fs)
	c.sso.register(fs)
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&c.TLSCert, "tls-cert", "", "TLS certificate file (PEM); with --tls-key serves HTTPS")
	fs.StringVar(&c.TLSKey, "tls-key", "", "TLS private key file (PEM)")
	fs.BoolVar(&c.BehindTLSProxy, "behind-tls-proxy", false, "a load balancer terminates TLS: allow plain HTTP on a non-loopback address")
	fs.StringVar(&c.RedirectAddr, "redirect-addr", "", "with TLS: also listen here and redirect HTTP to HTTPS (e.g. :80)")
	fs.StringVar(&c.MetricsToken, "metrics-token", "", "bearer token that GET /metrics requires (default: none; block /metrics at the load balancer or set one)")
	fs.Int64Var(&c.MaxBody, "max-body", inkform.DefaultMaxBodyBytes, "largest request body in bytes")
	fs.IntVar(&c.MaxPoints, "max-points", inkform.DefaultMaxPoints, "most pen samples in one submission")
	fs.IntVar(&c.MaxTraces, "max-traces", inkform.DefaultMaxTraces, "most strokes in one submission")
	fs.IntVar(&c.MaxPages, "max-pages", inkform.DefaultMaxPagesPerSubmit, "most pages in one submission")
	fs.DurationVar(&c.TokenCacheTTL, "token-cache-ttl", 30*time.Second, "how long an authenticated token is trusted without asking the database (a deleted token works that much longer at most, on nodes that LISTEN/NOTIFY or --redis cannot reach)")
	fs.Int64Var(&c.InkMemory, "ink-memory", ihttp.DefaultInkMemory, "bytes of memory that ink submissions being parsed may hold at once (each reserves 16× its size); beyond it a submission answers 503 with Retry-After")
	fs.Var(&c.TrustedProxies, "trusted-proxies", "comma-separated addresses or CIDR ranges of load balancers whose X-Forwarded-For names the client (for throttling bad tokens per client)")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", 30*time.Second, "on SIGTERM: how long to finish requests and jobs")
	fs.DurationVar(&c.DrainDelay, "drain-delay", 0, "on SIGTERM: how long /readyz answers 503 before the listener closes (lets a load balancer move traffic)")
	fs.StringVar(&c.CPUProfile, "cpu-profile", "", "write a CPU profile (go tool pprof) to this file until shutdown, for performance work")
	fs.BoolVar(&c.Demo, "demo", false, "create a demo org, token and the sample form, and print what to try")
}

// checkTransport enforces TLS off localhost.
func (c *serveConfig) checkTransport() error {
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	if c.TLSCert != "" || c.BehindTLSProxy {
		return nil
	}
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %v", c.Addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("--addr %s is not a loopback address: serve TLS with --tls-cert/--tls-key, or say --behind-tls-proxy when a load balancer terminates TLS", c.Addr)
}

func (c *serveConfig) limits() inkml.Limits {
	return inkml.Limits{MaxBytes: c.MaxBody, MaxPoints: c.MaxPoints, MaxTraces: c.MaxTraces, MaxPages: c.MaxPages}
}

func runServe(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var cfg serveConfig
	fs := newFlagSet("serve", "", stderr)
	cfg.register(fs)
	if _, err := parseArgs(fs, args, 0); err != nil {
		return err
	}
	if err := cfg.checkTransport(); err != nil {
		return err
	}
	logger, err := cfg.log.logger(stderr)
	if err != nil {
		return err
	}
	if cfg.CPUProfile != "" {
		stop, err := startCPUProfile(cfg.CPUProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	n, err := openNode(ctx, nodeConfig{"serve", cfg.store, cfg.blob, cfg.workers, cfg.cluster}, logger)
	if err != nil {
		return err
	}
	defer n.closeWithin(cfg.ShutdownTimeout)
	db, blobs, reg := n.db, n.blobs, n.reg

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	api := newAPI(db, blobs, &cfg, logger)
	api.Ready = n.ready
	api.Notifier = n.notifier
	// The API refuses subscriptions this deployment cannot deliver: e-mail
	// without an SMTP server, exports to targets it does not know.
	api.EmailEnabled = cfg.workers.deliver.SMTPURL != ""
	api.EmailDomains = cfg.workers.deliver.emailDomains()
	if api.ExportTargets, err = cfg.workers.deliver.exportTargetNames(); err != nil {
		return err
	}
	api.Metrics = newRequestMetrics(reg)
	console, err := newConsole(db, blobs, api.Cutouts, &cfg, logger)
	if err != nil {
		ln.Close()
		return err
	}
	console.Notifier = n.notifier
	console.SubscriptionOptions = inkform.SubscriptionOptions{
		EmailEnabled: api.EmailEnabled, EmailDomains: api.EmailDomains, ExportTargets: api.ExportTargets}
	api.ExtraRoutes = func(mux *http.ServeMux) {
		mux.Handle("GET /metrics", metricsHandler(reg, cfg.MetricsToken))
		console.Register(mux)
	}
	srv := &http.Server{
		Handler:           ihttp.SecurityHeaders(api.Handler(), cfg.TLSCert != ""),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	scheme := "http"
	if cfg.TLSCert != "" {
		scheme = "https"
		srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	baseURL := fmt.Sprintf("%s://%s", scheme, ln.Addr())
	logger.Info("inkform listening", "url", baseURL, "version", build().String(), "database", db.Dialect())
	if cfg.Demo {
		if err := setupDemo(ctx, db, baseURL, cfg.store, stdout); err != nil {
			ln.Close()
			return fmt.Errorf("demo: %w", err)
		}
	}

	errc := make(chan error, 2)
	go func() {
		if cfg.TLSCert != "" {
			errc <- srv.ServeTLS(ln, cfg.TLSCert, cfg.TLSKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	var redirect *http.Server
	if cfg.RedirectAddr != "" && cfg.TLSCert != "" {
		redirect = &http.Server{Addr: cfg.RedirectAddr, Handler: ihttp.RedirectHTTPS(cfg.Addr), ReadHeaderTimeout: 5 * time.Second}
		go func() { errc <- redirect.ListenAndServe() }()
	}

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	return shutdown(api, srv, redirect, n, &cfg, logger)
}

// shutdown drains the node: readiness fails first so a load balancer moves
// traffic away, then in-flight requests and running jobs finish within the
// timeout; jobs still running then are handed back to the queue, and the
// node closes.
func shutdown(api *ihttp.Server, srv, redirect *http.Server, n *node, cfg *serveConfig, logger *slog.Logger) error {
	logger.Info("shutting down", "drain_delay", cfg.DrainDelay, "timeout", cfg.ShutdownTimeout)
	api.Drain()
	time.Sleep(cfg.DrainDelay)
	ctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if redirect != nil {
		redirect.Shutdown(ctx)
	}
	if err := srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := n.Close(ctx); err != nil {
		logger.Warn("close node", "err", err)
	}
	logger.Info("stopped")
	return nil
}

// newAPI wires the HTTP API to the store.
func newAPI(db *sqlstore.DB, blobs inkform.BlobStore, cfg *serveConfig, logger *slog.Logger) *ihttp.Server {
	return &ihttp.Server{
		Orgs:           db,
		Tokens:         db,
		Forms:          db,
		Capture:        db,
		Documents:      db,
		Quarantine:     db,
		Jobs:           db,
		Verification:   newVerification(db).Service,
		Entries:        db,
		Purger:         db,
		Audit:          db,
		Blobs:          blobs,
		Renders:        db,
		Subscriptions:  db,
		Feed:           db,
		Printer:        pdf.Printer{},
		Cutouts:        &cutout.Service{Documents: db, Forms: db, Blobs: blobs, Logger: logger},
		Logger:         logger,
		Limits:         cfg.limits(),
		Version:        build().String(),
		TokenCacheTTL:  cfg.TokenCacheTTL,
		TrustedProxies: cfg.TrustedProxies,
		InkMemory:      cfg.InkMemory,
	}
}
