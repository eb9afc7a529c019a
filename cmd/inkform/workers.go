package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/interpret"
	"github.com/inkform/inkform/queue"
	"github.com/inkform/inkform/sqlstore"
	"github.com/prometheus/client_golang/prometheus"
)

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
		"queues this process works, comma-separated")
	fs.DurationVar(&c.PollInterval, "poll-interval", 250*time.Millisecond, "how often an idle queue looks for jobs other nodes enqueued")
	c.recognizers.register(fs)
	c.deliver.register(fs)
	fs.DurationVar(&c.Maintenance, "maintenance-interval", time.Hour, "how often expired documents (form retention) are purged and old delivery log entries pruned; whole seconds")
	fs.DurationVar(&c.Lease, "job-lease", 30*time.Second, "how long a claimed job is reserved between heartbeats; a crashed worker's jobs run again after it")
}

// interpretWorker turns a document's ink into field values and a status.
type interpretWorker struct {
	db          *sqlstore.DB
	recognizers *recognizers
	logger      *slog.Logger
}

// Work implements queue.Worker.
func (w *interpretWorker) Work(ctx context.Context, job *queue.Job[inkform.InterpretArgs]) error {
	org, id := job.OrgID, job.Args.DocumentID
	doc, form, di, err := loadDocument(ctx, w.db, org, id)
	if err != nil {
		return err
	}
	interpreter := interpret.Interpreter{Recognizer: w.recognizers.forForm(form)}
	res, err := interpreter.Interpret(ctx, form, doc, di)
	if err != nil {
		return fmt.Errorf("interpret: %w", err)
	}
	cause := "all fields read with confidence and valid"
	if len(res.Reasons) > 0 {
		cause = strings.Join(res.Reasons, "; ")
	}
	rows := 0
	if di != nil {
		rows = di.Rows
	}
	saved, err := w.db.SaveInterpretation(ctx, org, id, &inkform.Interpretation{
		Fields: res.Fields, Status: res.Status, Cause: cause, InkRows: rows,
	})
	if err != nil {
		return fmt.Errorf("save interpretation: %w", err)
	}
	w.logger.Debug("interpreted", "document", id, "status", res.Status, "saved", saved)
	return nil
}

// loadDocument reads what a job on a document needs: the document, the
// form version it was written on and its ink (nil when it has none). A
// document that is gone cancels the job: it will not come back.
func loadDocument(ctx context.Context, db *sqlstore.DB, org, id string) (*inkform.Document, *inkform.Form, *inkform.DocumentInk, error) {
	doc, err := db.FindDocument(ctx, org, id)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		return nil, nil, nil, queue.Cancel(fmt.Errorf("document %s is gone", id))
	} else if err != nil {
		return nil, nil, nil, fmt.Errorf("find document: %w", err)
	}
	form, err := db.FindFormVersion(ctx, org, doc.FormID, doc.FormVersion)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("find form: %w", err)
	}
	di, err := db.FindDocumentInk(ctx, org, id)
	switch {
	case inkform.ErrorCode(err) == inkform.ENOTFOUND:
		di = nil // a digital document without ink
	case err != nil:
		return nil, nil, nil, fmt.Errorf("find ink: %w", err)
	}
	return doc, form, di, nil
}

// startWorkers starts a queue client working the configured queues, or
// returns nil when there are no workers.
func startWorkers(ctx context.Context, db *sqlstore.DB, recs *recognizers, blobs inkform.BlobStore, cfg workerConfig, reg prometheus.Registerer, logger *slog.Logger) (*queue.Client, error) {
	metrics, err := queue.NewMetrics(reg, db, logger)
	if err != nil {
		return nil, fmt.Errorf("queue metrics: %w", err)
	}
	if cfg.Workers <= 0 {
		return nil, nil
	}
	ws := queue.NewWorkers()
	queue.AddWorker[inkform.InterpretArgs](ws, &interpretWorker{
		db: db, recognizers: recs, logger: logger,
	}, queue.WorkerOpts{Timeout: time.Minute})
	queue.AddWorker[inkform.RenderPDFArgs](ws, &renderWorker{db: db, blobs: blobs, logger: logger},
		queue.WorkerOpts{Timeout: time.Minute})
	deliver, err := newDeliverWorker(ctx, db, blobs, cfg.deliver, logger)
	if err != nil {
		return nil, err
	}
	queue.AddWorker[inkform.DeliverArgs](ws, deliver, queue.WorkerOpts{Timeout: deliverTimeout})
	queue.AddWorker[inkform.MaintenanceArgs](ws, &maintenanceWorker{db: db, blobs: blobs, logger: logger,
		deliveryRetention: time.Duration(cfg.deliver.LogDays) * 24 * time.Hour},
		queue.WorkerOpts{Timeout: defaultMaintenanceBudget + time.Minute})
	queues := map[string]queue.QueueConfig{}
	for _, q := range strings.Split(cfg.Queues, ",") {
		switch q = strings.TrimSpace(q); {
		case q == inkform.QueueDeliver && cfg.deliver.Workers > 0:
			queues[q] = queue.QueueConfig{MaxWorkers: cfg.deliver.Workers}
		case q != "":
			queues[q] = queue.QueueConfig{MaxWorkers: cfg.Workers}
		}
	}
	client, err := queue.NewClient(queue.Config{
		Store: db, Workers: ws, Queues: queues,
		PollInterval: cfg.PollInterval, Lease: cfg.Lease,
		Periodic: []queue.PeriodicJob{maintenancePeriodic(cfg.Maintenance)},
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
