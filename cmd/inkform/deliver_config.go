package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/deliver"
	"github.com/inkform/inkform/pipeline"
	"github.com/inkform/inkform/sqlstore"
)

// deliverConfig configures how events reach subscriptions: where links point,
// how many deliveries run at once, and the SMTP server and export targets
// that e-mail and export subscriptions use. Tenants name export targets; only
// the operator says where they are.
type deliverConfig struct {
	PublicURL       string
	Workers         int
	PerSubscription int
	AllowPrivate    bool
	SMTPURL         string
	SMTPFrom        string
	SMTPCA          string
	SMTPDomains     string
	ExportTargets   string
	LogDays         int
}

func (c *deliverConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.PublicURL, "public-url", "", "the server's public base URL (e.g. https://forms.example.org); links in webhooks and e-mails start with it (default: paths only)")
	fs.IntVar(&c.Workers, "deliver-workers", 32, "deliveries (webhooks, e-mails, exports) run at once in this process; they mostly wait on the network (0: as --workers)")
	fs.IntVar(&c.PerSubscription, "deliver-per-handler", 4, "most deliveries of one handler running at once in this process, so one slow endpoint cannot take every delivery worker")
	fs.BoolVar(&c.AllowPrivate, "webhook-allow-private", false, "let webhooks reach loopback, private and link-local addresses (refused by default, checked after DNS resolution)")
	fs.StringVar(&c.SMTPURL, "smtp-url", "", "SMTP server for e-mail handlers: smtp://user:pass@host:587 (STARTTLS required) or smtps://user:pass@host:465 (implicit TLS); set the variable rather than the flag, it holds a password")
	fs.StringVar(&c.SMTPFrom, "smtp-from", "", "sender address of e-mail handlers' mail (required with --smtp-url)")
	fs.StringVar(&c.SMTPCA, "smtp-ca", "", "PEM file of certificate authorities to trust for the SMTP server (default: the system's)")
	fs.StringVar(&c.SMTPDomains, "smtp-allowed-domains", "", "comma-separated domains e-mail handlers may send to (e.g. clinic.example,lab.example); empty allows any, which lets every tenant mail anyone through your server")
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
	if c.Workers < 0 || c.PerSubscription < 0 || c.LogDays < 1 {
		return fmt.Errorf("--deliver-workers and --deliver-per-handler must be >= 0, --delivery-log-days >= 1")
	}
	if (c.SMTPURL == "") != (c.SMTPFrom == "") {
		return fmt.Errorf("--smtp-url and --smtp-from go together")
	}
	return nil
}

// emailDomains returns the domains e-mail subscriptions may send to, lower
// case; nil allows any.
func (c *deliverConfig) emailDomains() []string {
	var out []string
	for _, d := range strings.Split(c.SMTPDomains, ",") {
		if d = strings.ToLower(strings.TrimSpace(d)); d != "" {
			out = append(out, d)
		}
	}
	return out
}

// baseURL returns the public URL without a trailing slash.
func (c *deliverConfig) baseURL() string { return strings.TrimRight(c.PublicURL, "/") }

// smtp returns the configured SMTP client, or nil when there is none.
func (c *deliverConfig) smtp() (*deliver.SMTP, error) {
	if c.SMTPURL == "" {
		return nil, nil
	}
	s, err := deliver.ParseSMTP(c.SMTPURL, c.SMTPFrom)
	if err != nil {
		return nil, fmt.Errorf("--smtp-url: %w", err)
	}
	if c.SMTPCA != "" {
		pem, err := os.ReadFile(c.SMTPCA)
		if err != nil {
			return nil, fmt.Errorf("--smtp-ca: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--smtp-ca %s holds no PEM certificate", c.SMTPCA)
		}
		s.TLSConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return s, nil
}

// newDeliverWorker wires the subscription types this node can deliver to the
// store: webhooks always, e-mail and exports when configured.
func newDeliverWorker(ctx context.Context, db *sqlstore.DB, blobs inkform.BlobStore, cfg deliverConfig, logger *slog.Logger) (*pipeline.DeliverWorker, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	byType := map[string]inkform.Deliverer{
		inkform.SubscriptionWebhook: &deliver.Sender{Subscriptions: db, Documents: db, BaseURL: cfg.baseURL(),
			Client: deliver.NewClient(cfg.AllowPrivate)},
	}
	smtp, err := cfg.smtp()
	if err != nil {
		return nil, err
	}
	if smtp != nil {
		byType[inkform.SubscriptionEmail] = &deliver.Mailer{Subscriptions: db, Documents: db, Forms: db, Renders: db,
			Blobs: blobs, SMTP: smtp, BaseURL: cfg.baseURL()}
	}
	if cfg.ExportTargets != "" {
		targets, err := openExportTargets(ctx, cfg.ExportTargets)
		if err != nil {
			return nil, fmt.Errorf("--export-targets: %w", err)
		}
		byType[inkform.SubscriptionExport] = &deliver.Exporter{Subscriptions: db, Documents: db, Forms: db, Renders: db,
			Blobs: blobs, Targets: targets, Marker: db, BaseURL: cfg.baseURL()}
	}
	return &pipeline.DeliverWorker{Subscriptions: db, Documents: db, Renders: db, ByType: byType,
		PerSubscription: cfg.PerSubscription, EmailDomains: cfg.emailDomains(), Logger: logger}, nil
}

// exportTargetNames lists the configured export targets' names, for the
// API to check subscriptions against.
func (c *deliverConfig) exportTargetNames() ([]string, error) {
	if c.ExportTargets == "" {
		return nil, nil
	}
	ts, err := parseExportTargets(c.ExportTargets)
	if err != nil {
		return nil, fmt.Errorf("--export-targets: %w", err)
	}
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.Name
	}
	return names, nil
}
