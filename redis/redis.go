// Package redis is an inkform.Notifier over Redis pub/sub, for the nodes
// of a cluster on any database (`inkform serve --redis URL`). Messages are
// hints (see inkform.Notifier): when Redis is down, nodes find their work by
// polling and caches expire, and publishing never waits for Redis.
package redis

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/inkform/inkform"
	goredis "github.com/redis/go-redis/v9"
)

// Timeouts. receivePing is how long the subscription waits for a message
// before it checks that Redis is still there, so a connection whose peer
// vanished without closing it is noticed; sendTimeout bounds one batch of
// publishes, so a Redis that stopped answering holds up only the sender.
const (
	receivePing = 30 * time.Second
	sendTimeout = 2 * time.Second
	outboxSize  = 1024
	maxBatch    = 256
)

type message struct{ topic, msg string }

// Notifier is the inkform.Notifier over Redis pub/sub. Close it when the
// node stops.
type Notifier struct {
	*inkform.NotifyRelay
	client *goredis.Client
	prefix string
	logger *slog.Logger
	outbox chan message
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

var _ inkform.Notifier = (*Notifier)(nil)

// quietOnce routes go-redis's own log lines to the first notifier's logger
// at debug level. The client logs every failed dial, many a second while
// Redis is down; Run logs the outage once instead. go-redis has one logger
// per process, hence the once.
var quietOnce sync.Once

type debugLog struct{ l *slog.Logger }

func (d debugLog) Printf(ctx context.Context, format string, v ...any) {
	d.l.DebugContext(ctx, "go-redis: "+fmt.Sprintf(format, v...))
}

// Open parses a redis:// or rediss:// URL and starts subscribing and
// publishing in the background. It does not wait for Redis: a node whose
// Redis is down starts and works by polling until Redis is reachable.
// prefix starts the name of every channel, so that clusters (or tests)
// sharing one Redis do not hear each other; pub/sub channels ignore the
// URL's database number.
func Open(url, prefix string, logger *slog.Logger) (*Notifier, error) {
	opts, err := goredis.ParseURL(url)
	if err != nil {
		return nil, inkform.Errorf(inkform.EINVALID, "redis URL: %v", err)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	quietOnce.Do(func() { goredis.SetLogger(debugLog{logger}) })
	// Pub/sub needs none of RESP3's extras; RESP2 works with every
	// Redis-compatible server. One retry lets a publish get past a pooled
	// connection that died with the previous Redis; more would only delay
	// the sender while Redis is down.
	opts.Protocol = 2
	opts.DisableIdentity = true
	opts.MaxRetries = 1
	opts.DialTimeout = sendTimeout
	opts.ReadTimeout = sendTimeout
	opts.WriteTimeout = sendTimeout
	ctx, cancel := context.WithCancel(context.Background())
	n := &Notifier{NotifyRelay: inkform.NewNotifyRelay(), client: goredis.NewClient(opts),
		prefix: prefix, logger: logger, outbox: make(chan message, outboxSize), cancel: cancel}
	n.wg.Add(2)
	go func() { defer n.wg.Done(); n.Run(ctx, logger, "redis", n.session) }()
	go func() { defer n.wg.Done(); n.send(ctx) }()
	return n, nil
}

// Publish implements inkform.Notifier. It delivers to this node's
// subscribers at once and hands the message to the sender without
// waiting; it fails only when the outbox is full (Redis has been slow or
// away for a while), and then the other nodes poll.
func (n *Notifier) Publish(ctx context.Context, topic, payload string) error {
	m := message{n.prefix + topic, n.Outgoing(topic, payload)}
	select {
	case n.outbox <- m:
		return nil
	default:
		return errors.New("redis notifier: outbox full; other nodes will poll")
	}
}

// Close stops subscribing and publishing; messages not yet sent are
// dropped.
func (n *Notifier) Close() error {
	n.cancel()
	n.wg.Wait()
	if err := n.client.Close(); err != nil {
		return fmt.Errorf("close redis: %w", err)
	}
	return nil
}

// session subscribes to every topic on one connection and delivers what
// arrives until the connection fails or ctx is done.
func (n *Notifier) session(ctx context.Context, connected func()) error {
	var channels []string
	for _, topic := range inkform.Topics() {
		channels = append(channels, n.prefix+topic)
	}
	ps := n.client.Subscribe(ctx, channels...)
	defer ps.Close()
	// A blocked receive does not watch ctx; closing the connection ends
	// it when the notifier closes.
	defer context.AfterFunc(ctx, func() { ps.Close() })()
	// The first reply confirms the subscription: from here on no message
	// is missed.
	if _, err := ps.Receive(ctx); err != nil {
		return fmt.Errorf("subscribe: %w", err)
	}
	connected()
	for {
		msg, err := ps.ReceiveTimeout(ctx, receivePing)
		var ne net.Error
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.As(err, &ne) && ne.Timeout():
			if err := ps.Ping(ctx); err != nil {
				return fmt.Errorf("ping: %w", err)
			}
		case err != nil:
			return err
		}
		if m, ok := msg.(*goredis.Message); ok {
			n.Incoming(strings.TrimPrefix(m.Channel, n.prefix), m.Payload)
		}
	}
}

// send publishes the outbox in batches, one round trip each, dropping
// duplicates within a batch: a burst of enqueues into one queue needs one
// wake-up, not hundreds.
func (n *Notifier) send(ctx context.Context) {
	failing := false
	for {
		var first message
		select {
		case <-ctx.Done():
			return
		case first = <-n.outbox:
		}
		batch := []message{first}
		seen := map[message]bool{first: true}
	drain:
		for len(batch) < maxBatch {
			select {
			case m := <-n.outbox:
				if !seen[m] {
					seen[m] = true
					batch = append(batch, m)
				}
			default:
				break drain
			}
		}
		sctx, cancel := context.WithTimeout(ctx, sendTimeout)
		_, err := n.client.Pipelined(sctx, func(p goredis.Pipeliner) error {
			for _, m := range batch {
				p.Publish(sctx, m.topic, m.msg)
			}
			return nil
		})
		cancel()
		// The subscription's loss is logged by Run; a failure to publish
		// while it is up is logged here, once until publishing works.
		if err != nil && !failing && n.Connected() {
			n.logger.Warn("redis publish failed: other nodes poll for this work", "err", err)
		}
		failing = err != nil
	}
}
