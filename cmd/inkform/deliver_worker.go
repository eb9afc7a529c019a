package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/handler"
	"github.com/inkform/inkform/queue"
	"github.com/inkform/inkform/sqlstore"
)

// deliverTimeout bounds one deliver job: the webhook's own 10 s, the reads
// before it and the record after it.
const deliverTimeout = 30 * time.Second

// deliverWorker sends one event to one handler. A failed attempt is an
// error, so the queue retries it with backoff for about a day
// (inkform.DeliverMaxAttempts); every attempt is in the handler's log.
type deliverWorker struct {
	sender *handler.Sender
	logger *slog.Logger
}

// newDeliverWorker wires a sender to the store. allowPrivate lets webhooks
// reach loopback and private addresses (tests, or a trusted private
// network); by default they are refused after DNS resolution.
func newDeliverWorker(db *sqlstore.DB, allowPrivate bool, logger *slog.Logger) *deliverWorker {
	return &deliverWorker{
		sender: &handler.Sender{Handlers: db, Documents: db, Client: handler.NewClient(allowPrivate)},
		logger: logger,
	}
}

// Work implements queue.Worker.
func (w *deliverWorker) Work(ctx context.Context, job *queue.Job[inkform.DeliverArgs]) error {
	a := job.Args
	// The job's creation is when the event happened: every retry carries
	// the same message timestamp, as it carries the same webhook-id.
	err := w.sender.Deliver(ctx, job.OrgID, a, job.Attempt, job.CreatedAt)
	switch {
	case err == nil:
		w.logger.Debug("delivered", "handler", a.HandlerID, "event", a.Event, "message", a.MessageID)
		return nil
	case inkform.ErrorCode(err) == inkform.ENOTFOUND:
		// The handler or the document was deleted: no retry brings it back.
		return queue.Cancel(err)
	case errors.Is(err, handler.ErrPrivateAddress):
		w.logger.Warn("webhook target refused", "handler", a.HandlerID, "err", err)
	}
	return err
}
