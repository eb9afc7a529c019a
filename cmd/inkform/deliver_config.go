package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/handler"
	"github.com/inkform/inkform/sqlstore"
)

// deliverConfig configures how events reach handlers: where links point,
// how many deliveries run at once, and the SMTP server and export targets
// that e-mail and export handlers use. Tenants name export targets; only
// the operator says where they are.
type deliverConfig struct {
	PublicURL     string
	Workers       int
	PerHandler    int
	AllowPrivate  bool
	SMTPURL       string
	SMTPFrom      string
	ExportTargets string
	LogDays       int
}

func (c *deliverConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.PublicURL, "public-url", "", "the server's public base URL (e.g. https://forms.example.org); links in webhooks and e-mails start with it (default: paths only)")
	fs.IntVar(&c.Workers, "deliver-workers", 32, "deliveries (webhooks, e-mails, exports) run at once in this process; they mostly wait on the network (0: as --workers)")
	fs.IntVar(&c.PerHandler, "deliver-per-handler", 4, "most deliveries of one handler running at once in this process, so one slow endpoint cannot take every delivery worker")
	fs.BoolVar(&c.AllowPrivate, "webhook-allow-private", false, "let webhooks reach loopback, private and link-local addresses (refused by default, checked after DNS resolution)")
	fs.StringVar(&c.SMTPURL, "smtp-url", "", "SMTP server for e-mail handlers: smtp://user:pass@host:587 (STARTTLS required) or smtps://user:pass@host:465 (implicit TLS); set the variable rather than the flag, it holds a password")
	fs.StringVar(&c.SMTPFrom, "smtp-from", "", "sender address of e-mail handlers' mail (required with --smtp-url)")
	fs.StringVar(&c.ExportTargets, "export-targets", "", "export handlers' targets, comma-separated name=LOCATION (a directory, file:// or s3:// URL as --blob takes), e.g. archive=s3://bucket/exports")
	fs.IntVar(&c.LogDays, "delivery-log-days", 30, "days a handler's delivery log is kept")
}

// check validates what can be checked without opening anything.
func (c *deliverConfig) check() error {
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("--public-url %q must be an http(s) URL without query or fragment", c.PublicURL)
		}
	}
	if c.Workers < 0 || c.PerHandler < 0 || c.LogDays < 1 {
		return fmt.Errorf("--deliver-workers and --deliver-per-handler must be >= 0, --delivery-log-days >= 1")
	}
	if (c.SMTPURL == "") != (c.SMTPFrom == "") {
		return fmt.Errorf("--smtp-url and --smtp-from go together")
	}
	return nil
}

// baseURL returns the public URL without a trailing slash.
func (c *deliverConfig) baseURL() string { return strings.TrimRight(c.PublicURL, "/") }

// newDeliverWorker wires the handler types this node can deliver to the
// store: webhooks always, e-mail and exports when configured.
func newDeliverWorker(db *sqlstore.DB, blobs inkform.BlobStore, cfg deliverConfig, logger *slog.Logger) (*deliverWorker, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	byType := map[string]deliverer{
		inkform.HandlerWebhook: &handler.Sender{Handlers: db, Documents: db, BaseURL: cfg.baseURL(),
			Client: handler.NewClient(cfg.AllowPrivate)},
	}
	_ = blobs
	return &deliverWorker{db: db, byType: byType, inFlight: newLimiter(cfg.PerHandler), logger: logger}, nil
}
