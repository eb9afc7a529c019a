package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/interpret"
	"github.com/inkform/inkform/pdf"
	"github.com/inkform/inkform/pipeline"
	"github.com/inkform/inkform/queue"
	"github.com/inkform/inkform/sqlstore"
	"github.com/prometheus/client_golang/prometheus"
)

// backgroundCacheBytes is how much of form backgrounds, prepared for
// drawing, the render workers keep between documents: every document of a
// form version shares its background.
const backgroundCacheBytes = 64 << 20

// workerConfig configures the background workers of a process.
type workerConfig struct {
	recognizers  recognizerConfig
	Workers      int
	Queues       string
	PollInterval time.Duration
	Lease        time.Duration
	// Maintenance is how often retention purges and delivery log pruning
	// run (on the default queue, once per interval across all nodes).
	Maintenance time.Duration
	deliver     deliverConfig
}

func (c *workerConfig) register(fs *flag.FlagSet, defaultWorkers int) {
	fs.IntVar(&c.Workers, "workers", defaultWorkers, "jobs run at once per queue in this process (0: no workers)")
	fs.StringVar(&c.Queues, "queues", strings.Join([]string{inkform.QueueInterpret, inkform.QueueRender, inkform.QueueDeliver, inkform.QueueDefault}, ","),
		"queues this process works, comma-separated; a process working both interpret and render renders each interpretation's PDF in its interpret job, which then runs twice --workers at once")
	fs.DurationVar(&c.PollInterval, "poll-interval", 250*time.Millisecond, "how often an idle queue looks for jobs that no wake-up announced (other nodes' jobs without PostgreSQL LISTEN/NOTIFY or --redis, or while those are down)")
	c.recognizers.register(fs)
	c.deliver.register(fs)
	fs.DurationVar(&c.Maintenance, "maintenance-interval", time.Hour, "how often expired documents (form retention) are purged and old delivery log entries pruned; whole seconds")
	fs.DurationVar(&c.Lease, "job-lease", 30*time.Second, "how long a claimed job is reserved between heartbeats; a crashed worker's jobs run again after it")
}

// queueNames returns the queues the process works, as --queues lists them.
func (c *workerConfig) queueNames() []string {
	var names []string
	for _, q := range strings.Split(c.Queues, ",") {
		if q = strings.TrimSpace(q); q != "" {
			names = append(names, q)
		}
	}
	return names
}

// startWorkers starts a queue client working the configured queues, or
// returns nil when there are no workers.
func startWorkers(ctx context.Context, db *sqlstore.DB, recs *pipeline.Recognizers, blobs inkform.BlobStore, cfg workerConfig,
	notifier inkform.Notifier, reg prometheus.Registerer, logger *slog.Logger) (*queue.Client, error) {
	metrics, err := queue.NewMetrics(reg, db, logger)
	if err != nil {
		return nil, fmt.Errorf("queue metrics: %w", err)
	}
	if cfg.Workers <= 0 {
		return nil, nil
	}
	deliver, err := newDeliverWorker(ctx, db, blobs, cfg.deliver, logger)
	if err != nil {
		return nil, err
	}
	deliver.Notifier = notifier
	ws := queue.NewWorkers()
	render := &pipeline.RenderWorker{Documents: db, Forms: db, Renders: db, Printer: pdf.Printer{Backgrounds: pdf.NewBackgroundCache(backgroundCacheBytes)}, Notifier: notifier, Blobs: blobs,
		Logger: logger}
	interpreter := &pipeline.InterpretWorker{Documents: db, Forms: db, Updater: db, Interpreter: interpret.Engine{}, Recognizers: recs, Logger: logger}
	names := cfg.queueNames()
	inline := slices.Contains(names, inkform.QueueInterpret) && slices.Contains(names, inkform.QueueRender)
	if inline {
		interpreter.Render = render
	}
	pipeline.Workers{
		Interpret: interpreter,
		Render:    render,
		Deliver:   deliver,
		Maintenance: &pipeline.MaintenanceWorker{Retention: db, Deliveries: db, Blobs: blobs, Logger: logger,
			DeliveryRetention: time.Duration(cfg.deliver.LogDays) * 24 * time.Hour},
	}.Register(ws)
	queues := map[string]queue.QueueConfig{}
	for _, q := range names {
		switch {
		case q == inkform.QueueDeliver:
			// The claim leaves a handler's deliveries in the queue while
			// it has its limit running here (the worker's own limiter
			// then only sees jobs stored without a limit key).
			n := cfg.deliver.Workers
			if n <= 0 {
				n = cfg.Workers
			}
			queues[q] = queue.QueueConfig{MaxWorkers: n, PerKey: cfg.deliver.PerSubscription}
		case q == inkform.QueueInterpret && inline:
			// Its jobs render too, so it takes the render queue's share of
			// workers as well; render jobs are few on such a node.
			queues[q] = queue.QueueConfig{MaxWorkers: 2 * cfg.Workers}
		default:
			queues[q] = queue.QueueConfig{MaxWorkers: cfg.Workers}
		}
	}
	client, err := queue.NewClient(queue.Config{
		Store: db, Workers: ws, Queues: queues,
		PollInterval: cfg.PollInterval, Lease: cfg.Lease, Notifier: notifier,
		Periodic: []queue.PeriodicJob{pipeline.MaintenancePeriodic(cfg.Maintenance)},
		Logger:   logger, Metrics: metrics,
	})
	if err != nil {
		return nil, err
	}
	if err := client.Start(ctx); err != nil {
		return nil, err
	}
	return client, nil
}
