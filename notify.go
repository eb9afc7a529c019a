package inkform

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Topics of the messages nodes send each other through a Notifier.
const (
	// TopicJobs says jobs became due in a queue; the payload is the
	// queue's name. Producers of that queue claim at once instead of at
	// their next poll.
	TopicJobs = "inkform_jobs"
	// TopicTokens says an API token was revoked or changed; the payload
	// is TokenNotice's. Nodes drop it from their token caches.
	TopicTokens = "inkform_tokens"
	// TopicRenders says a document's PDF was saved; the payload is
	// DocumentNotice's. Deliveries waiting for that PDF go out at once:
	// one that was checking for it while it was saved does not snooze.
	TopicRenders = "inkform_renders"
)

// Topics lists every topic, for transports that subscribe up front.
func Topics() []string { return []string{TopicJobs, TopicTokens, TopicRenders} }

// DocumentNotice is the TopicRenders payload naming one document of an org.
func DocumentNotice(orgID, documentID string) string { return orgID + "/" + documentID }

// TokenNotice is the TopicTokens payload naming one token of an org.
func TokenNotice(orgID, tokenID string) string { return orgID + "/" + tokenID }

// ParseTokenNotice splits a TopicTokens payload; ok is false for anything
// TokenNotice did not make.
func ParseTokenNotice(payload string) (orgID, tokenID string, ok bool) {
	orgID, tokenID, ok = strings.Cut(payload, "/")
	return orgID, tokenID, ok && orgID != "" && tokenID != ""
}

// Notifier carries short hints between the nodes of a cluster: jobs to
// claim, caches to drop. A message is a hint, never the record: it may be
// lost (a transport down, a node restarting), so every subscriber must
// also find the work by itself (queues poll, caches expire).
type Notifier interface {
	// Publish sends payload to every subscriber of topic: those of this
	// node before it returns, those of other nodes as soon as the
	// transport carries it. An error means other nodes may not hear of
	// it; this node's subscribers always do.
	Publish(ctx context.Context, topic, payload string) error
	// Subscribe calls fn with the payload of every message on topic
	// until the returned function is called. fn must not block: it runs
	// on the publisher's goroutine or the transport's.
	Subscribe(topic string, fn func(payload string)) (unsubscribe func())
}

// LocalNotifier is the Notifier of a node that runs alone: messages reach
// the subscribers of this process only. Transports between nodes use one
// for the subscribers of their own process.
type LocalNotifier struct {
	mu   sync.RWMutex
	next int
	subs map[string]map[int]func(string)
}

// NewLocalNotifier returns a LocalNotifier without subscribers.
func NewLocalNotifier() *LocalNotifier {
	return &LocalNotifier{subs: map[string]map[int]func(string){}}
}

// Publish implements Notifier; it never fails.
func (l *LocalNotifier) Publish(_ context.Context, topic, payload string) error {
	l.Deliver(topic, payload)
	return nil
}

// Deliver calls the subscribers of topic with payload.
func (l *LocalNotifier) Deliver(topic, payload string) {
	l.mu.RLock()
	fns := make([]func(string), 0, len(l.subs[topic]))
	for _, fn := range l.subs[topic] {
		fns = append(fns, fn)
	}
	l.mu.RUnlock()
	// Outside the lock, so a subscriber may subscribe or unsubscribe.
	for _, fn := range fns {
		fn(payload)
	}
}

// Subscribe implements Notifier.
func (l *LocalNotifier) Subscribe(topic string, fn func(payload string)) func() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.next++
	id := l.next
	if l.subs[topic] == nil {
		l.subs[topic] = map[int]func(string){}
	}
	l.subs[topic][id] = fn
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			delete(l.subs[topic], id)
		})
	}
}

// NotifyRelay is what every transport between nodes shares: it delivers a
// message to this node's subscribers at once, tags what it sends with this
// node's origin, and drops its own messages when the transport echoes them
// back, so a node is not woken twice for one job.
type NotifyRelay struct {
	*LocalNotifier
	origin    string
	connected atomic.Bool
}

// NewNotifyRelay returns a relay with a random origin.
func NewNotifyRelay() *NotifyRelay {
	var b [8]byte
	_, _ = crand.Read(b[:])
	return &NotifyRelay{LocalNotifier: NewLocalNotifier(), origin: hex.EncodeToString(b[:])}
}

// Outgoing delivers payload to this node's subscribers and returns the
// message the transport sends to the other nodes.
func (r *NotifyRelay) Outgoing(topic, payload string) string {
	r.Deliver(topic, payload)
	return r.Tag(payload)
}

// Tag returns the message the transport sends to the other nodes for
// payload, without delivering it here: for a message sent inside a
// transaction, whose local subscribers hear of it after the commit.
func (r *NotifyRelay) Tag(payload string) string {
	return r.origin + " " + payload
}

// Incoming delivers a message the transport received to this node's
// subscribers, unless this node sent it (they already had it) or it is
// malformed.
func (r *NotifyRelay) Incoming(topic, msg string) {
	origin, payload, ok := strings.Cut(msg, " ")
	if !ok || origin == r.origin {
		return
	}
	r.Deliver(topic, payload)
}

// Connected reports whether the transport's subscription is up, so that
// messages from other nodes arrive.
func (r *NotifyRelay) Connected() bool { return r.connected.Load() }

// Backoff bounds between attempts to reconnect a transport.
const (
	notifyBackoffMin = 100 * time.Millisecond
	notifyBackoffMax = 10 * time.Second
)

// Run keeps a transport's subscription up until ctx is done. session
// connects, calls connected once it listens and then receives messages
// (calling Incoming) until the connection fails. A failed session is
// retried with exponential backoff and jitter. The outage is logged once
// when it starts and once when it ends, not per message or attempt: the
// nodes meanwhile find their work by polling.
func (r *NotifyRelay) Run(ctx context.Context, logger *slog.Logger, transport string,
	session func(ctx context.Context, connected func()) error) {
	wait := notifyBackoffMin
	down := false
	for ctx.Err() == nil {
		up := false
		err := session(ctx, func() {
			up = true
			r.connected.Store(true)
			if down {
				logger.Info("notifier reconnected: wake-ups from other nodes resume", "transport", transport)
				down = false
			}
		})
		r.connected.Store(false)
		if ctx.Err() != nil {
			return
		}
		if up {
			wait = notifyBackoffMin
		}
		if !down {
			logger.Warn("notifier connection lost: nodes poll for work until it returns", "transport", transport, "err", err)
			down = true
		}
		// Jitter, so nodes that lost the same server do not all
		// come back at the same instant.
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait/2 + rand.N(wait/2+1)):
		}
		wait = min(2*wait, notifyBackoffMax)
	}
}
