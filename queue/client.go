package queue

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/inkform/inkform"
)

// QueueConfig configures how a client works one named queue.
type QueueConfig struct {
	// MaxWorkers is how many jobs of the queue run at once in this client.
	MaxWorkers int
	// PerKey, when above 0, is how many jobs with one limit key
	// (inkform.EnqueueOpts.LimitKey: a delivery's handler) run at once in
	// this client: the claim itself leaves the others in the queue.
	PerKey int
}

// Config configures a Client.
type Config struct {
	Store   inkform.JobQueue
	Workers *Workers
	// Queues are the queues this client works, with their concurrency.
	// Separate queues keep a slow kind of job from starving others.
	Queues map[string]QueueConfig
	// ID names this worker process in leases (default host-pid-random).
	ID string
	// PollInterval is how often an idle queue looks for jobs that other
	// nodes enqueued or whose time came (default 500 ms). Jobs enqueued
	// on this node wake it at once through Notify, and those of other
	// nodes through Notifier; polling finds what a lost message missed.
	PollInterval time.Duration
	// Notifier, when set, wakes a queue's claim loop whenever a
	// TopicJobs message names it, whichever node enqueued the job.
	Notifier inkform.Notifier
	// Lease is how long a claimed job is reserved; heartbeats renew it
	// every Lease/3, and the reaper frees it when its worker stopped
	// renewing (default 30 s).
	Lease time.Duration
	// ReapInterval is how often this client looks for expired leases
	// (default Lease/2).
	ReapInterval time.Duration
	// Backoff gives the delay after a failed attempt (default Backoff).
	Backoff func(attempt int) time.Duration
	Logger  *slog.Logger
	Metrics *Metrics // optional
	// Periodic are jobs this client enqueues on a schedule (periodic.go).
	Periodic []PeriodicJob
}

// Client claims and works jobs. Several clients, in one process or on many
// machines, share one database safely.
type Client struct {
	cfg       Config
	producers map[string]*producer
	completer *completer

	stopOnce sync.Once
	stop     chan struct{} // closed by Stop: no more claims
	jobsCtx  context.Context
	kill     context.CancelFunc // cancels running jobs when Stop's deadline passes
	wg       sync.WaitGroup     // producers and maintenance goroutines

	mu      sync.Mutex
	running map[int64]*inkform.Job

	unsubscribe func() // from Notifier; nil without one
}

// NewClient checks the configuration and returns a client that is not yet
// started.
func NewClient(cfg Config) (*Client, error) {
	if cfg.Store == nil || cfg.Workers == nil {
		return nil, errors.New("queue: Store and Workers are required")
	}
	if len(cfg.Queues) == 0 {
		return nil, errors.New("queue: no queues to work")
	}
	if cfg.ID == "" {
		cfg.ID = defaultID()
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 500 * time.Millisecond
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 30 * time.Second
	}
	if cfg.ReapInterval <= 0 {
		cfg.ReapInterval = cfg.Lease / 2
	}
	if cfg.Backoff == nil {
		cfg.Backoff = Backoff
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	jobsCtx, kill := context.WithCancel(context.Background())
	c := &Client{
		cfg:       cfg,
		producers: map[string]*producer{},
		stop:      make(chan struct{}),
		jobsCtx:   jobsCtx,
		kill:      kill,
		running:   map[int64]*inkform.Job{},
	}
	c.completer = newCompleter(cfg.Store, cfg.ID, cfg.Logger)
	for name, qc := range cfg.Queues {
		if qc.MaxWorkers <= 0 {
			return nil, fmt.Errorf("queue: queue %q needs MaxWorkers > 0", name)
		}
		c.producers[name] = newProducer(c, name, qc)
	}
	return c, nil
}

func defaultID() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// ID returns the name this client uses in leases.
func (c *Client) ID() string { return c.cfg.ID }

// Start begins claiming and working jobs. It returns at once; ctx only
// bounds start-up.
func (c *Client) Start(ctx context.Context) error {
	if err := checkPeriodic(c.cfg.Periodic); err != nil {
		return err
	}
	c.completer.start()
	for _, p := range c.producers {
		p.jobs.Add(1)
		go p.run()
	}
	c.wg.Add(2)
	go func() { defer c.wg.Done(); c.heartbeat() }()
	go func() { defer c.wg.Done(); c.reap() }()
	c.startPeriodic()
	if c.cfg.Notifier != nil {
		c.unsubscribe = c.cfg.Notifier.Subscribe(inkform.TopicJobs, c.Notify)
	}
	c.cfg.Logger.Info("queue started", "worker", c.cfg.ID, "queues", len(c.producers))
	return nil
}

// Notify wakes the queue's claim loop, e.g. right after a job was enqueued
// on this node. Unknown queues are ignored.
func (c *Client) Notify(queue string) {
	if p, ok := c.producers[queue]; ok {
		p.wake()
	}
}

// Stop stops claiming and waits for running jobs to finish until ctx is
// done; jobs still running then are cancelled and handed back to the queue
// for another worker. It returns ctx's error when it had to hand jobs back.
func (c *Client) Stop(ctx context.Context) error {
	c.stopOnce.Do(func() {
		close(c.stop)
		if c.unsubscribe != nil {
			c.unsubscribe()
		}
	})
	done := make(chan struct{})
	go func() {
		for _, p := range c.producers {
			p.wait()
		}
		close(done)
	}()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = ctx.Err()
		c.kill()
		<-done
	}
	c.kill()
	c.wg.Wait()
	c.completer.stop()
	c.cfg.Logger.Info("queue stopped", "worker", c.cfg.ID, "handed_back", err != nil)
	return err
}

func (c *Client) track(j *inkform.Job) {
	c.mu.Lock()
	c.running[j.ID] = j
	c.mu.Unlock()
}

func (c *Client) untrack(id int64) {
	c.mu.Lock()
	delete(c.running, id)
	c.mu.Unlock()
}

func (c *Client) runningIDs() []int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids := make([]int64, 0, len(c.running))
	for id := range c.running {
		ids = append(ids, id)
	}
	return ids
}

// heartbeat renews the leases of running jobs so the reaper leaves them be.
func (c *Client) heartbeat() {
	t := time.NewTicker(c.cfg.Lease / 3)
	defer t.Stop()
	for {
		select {
		case <-c.jobsCtx.Done():
			return
		case <-t.C:
		}
		ids := c.runningIDs()
		if len(ids) == 0 {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), c.cfg.Lease/3)
		if err := c.cfg.Store.ExtendLeases(ctx, c.cfg.ID, ids, c.cfg.Lease); err != nil {
			c.cfg.Logger.Warn("extend leases", "err", err, "jobs", len(ids))
		}
		cancel()
	}
}

// reap frees the jobs of workers that stopped renewing their leases.
func (c *Client) reap() {
	t := time.NewTicker(c.cfg.ReapInterval)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), c.cfg.ReapInterval)
		n, err := c.cfg.Store.ReapJobs(ctx)
		cancel()
		if err != nil {
			c.cfg.Logger.Warn("reap jobs", "err", err)
		} else if n > 0 {
			c.cfg.Logger.Info("reaped jobs of lost workers", "jobs", n)
			c.cfg.Metrics.reaped(n)
			for _, p := range c.producers {
				p.wake()
			}
		}
	}
}
