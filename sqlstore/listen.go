package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/inkform/inkform"
	"github.com/jackc/pgx/v5"
)

// listenPing is how long a listening connection waits for a notification
// before it checks that the server is still there: a connection whose peer
// vanished without closing it would otherwise wait forever.
const listenPing = 30 * time.Second

// Listener is an inkform.Notifier over PostgreSQL's LISTEN/NOTIFY, for the
// nodes of a cluster that share a PostgreSQL database and no Redis. Jobs
// are announced inside the transaction that enqueues them (see notifyTx);
// other messages with Publish. It holds one connection of its own, outside
// the pools, which it re-opens with backoff when it drops.
type Listener struct {
	*inkform.NotifyRelay
	db     *DB
	cancel context.CancelFunc
	done   chan struct{}
}

var _ inkform.Notifier = (*Listener)(nil)

// Listen starts the listener of a PostgreSQL database and makes the
// database announce enqueued jobs through it. It returns at once; the
// first connection is made in the background, and until it is up the
// nodes find their work by polling. Close it before the database.
func (db *DB) Listen(logger *slog.Logger) (*Listener, error) {
	if db.d != dialectPostgres {
		return nil, inkform.Errorf(inkform.EINVALID, "listen: %s has no LISTEN/NOTIFY; use Redis", db.d)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	l := &Listener{NotifyRelay: inkform.NewNotifyRelay(), db: db, cancel: cancel, done: make(chan struct{})}
	if !db.listener.CompareAndSwap(nil, l) {
		cancel()
		return nil, errors.New("listen: the database already has a listener")
	}
	go func() {
		defer close(l.done)
		l.Run(ctx, logger, "postgres", l.session)
	}()
	return l, nil
}

// Publish implements inkform.Notifier with a NOTIFY outside any
// transaction.
func (l *Listener) Publish(ctx context.Context, topic, payload string) error {
	msg := l.Outgoing(topic, payload)
	if _, err := l.db.writer().exec(ctx, `SELECT pg_notify(?, ?)`, topic, msg); err != nil {
		return fmt.Errorf("notify %s: %w", topic, err)
	}
	return nil
}

// Close stops listening; the database announces jobs to this node only
// from then on.
func (l *Listener) Close() error {
	l.db.listener.CompareAndSwap(l, nil)
	l.cancel()
	<-l.done
	return nil
}

// session listens on one connection until it fails or ctx is done.
func (l *Listener) session(ctx context.Context, connected func()) error {
	conn, err := pgx.Connect(ctx, l.db.dsn)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = conn.Close(cctx)
	}()
	for _, topic := range inkform.Topics() {
		if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{topic}.Sanitize()); err != nil {
			return fmt.Errorf("listen %s: %w", topic, err)
		}
	}
	connected()
	for {
		wctx, cancel := context.WithTimeout(ctx, listenPing)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case err == nil:
			l.Incoming(n.Channel, n.Payload)
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, context.DeadlineExceeded):
			pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			err = conn.Ping(pctx)
			cancel()
			if err != nil {
				return fmt.Errorf("ping: %w", err)
			}
		default:
			return err
		}
	}
}
