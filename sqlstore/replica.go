package sqlstore

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/inkform/inkform"
)

// Defaults for the replica options.
const (
	DefaultReplicaCheckInterval = 250 * time.Millisecond
	DefaultReplicaMaxLag        = 10 * time.Second
	// replicaClockMargin covers the clocks of two nodes disagreeing: the
	// time a client wrote comes from the node that answered the write, the
	// replica's position from the node that reads. NTP keeps them within
	// milliseconds; a second is generous.
	replicaClockMargin = time.Second
)

// Why a read went where it went (ReplicaStatus.Reads).
const (
	ReadReplica        = "replica"          // the replica was fresh enough
	ReadAfterWrite     = "read_after_write" // primary: the client wrote after the replica's position
	ReadReplicaDown    = "replica_down"     // primary: the replica did not answer
	ReadReplicaLagging = "replica_lagging"  // primary: the replica is more than ReplicaMaxLag behind, or not known to have caught up
	ReadReplicaMissing = "replica_missing"  // primary again: the row looked up was not on the replica (yet)
	readReasons        = 5
)

var readReasonNames = [readReasons]string{ReadReplica, ReadAfterWrite, ReadReplicaDown, ReadReplicaLagging, ReadReplicaMissing}

// ReplicaStatus is the read replica's state as this node sees it, for
// metrics.
type ReplicaStatus struct {
	Configured bool // a read-only DSN is set
	Up         bool // the replica answered its last check
	// Lag is how far behind the primary the replica may be: it holds every
	// commit made before now−Lag. Measured in steps of the check interval;
	// LagKnown is false where the dialect cannot compare positions (MySQL)
	// or before the first successful check.
	Lag      time.Duration
	LagKnown bool
	// Reads counts the reads that could have gone to the replica, by where
	// they went and why (ReadReplica, ReadAfterWrite, …).
	Reads map[string]uint64
}

// replica watches a read replica: whether it answers and up to which
// moment it holds every commit of the primary. Reads consult it (choose)
// on every query; a goroutine refreshes it every check interval.
type replica struct {
	db       *DB
	interval time.Duration
	maxLag   time.Duration
	logger   *slog.Logger

	measured bool // the dialect compares positions (walPosition)

	up       atomic.Bool
	caughtUp atomic.Int64 // Unix µs on this node's clock; 0 while unknown
	reads    [readReasons]atomic.Uint64

	mu      sync.Mutex
	samples []walSample // the primary's positions, oldest first
}

// walSample is the primary's log position read just after at: every commit
// that finished before at is at or before pos.
type walSample struct {
	at  time.Time
	pos uint64
}

func newReplica(db *DB) *replica {
	o := db.opts
	primarySQL, _ := db.d.walPosition()
	r := &replica{db: db, interval: o.ReplicaCheckInterval, maxLag: o.ReplicaMaxLag, logger: o.Logger, measured: primarySQL != ""}
	if r.logger == nil {
		r.logger = slog.Default()
	}
	return r
}

// loop checks the replica every interval until the DB closes.
func (r *replica) loop() {
	defer r.db.bg.Done()
	tick := time.NewTicker(r.interval)
	defer tick.Stop()
	for {
		select {
		case <-r.db.stop:
			return
		case <-tick.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), max(r.interval, time.Second))
		r.check(ctx)
		cancel()
	}
}

// check reads the primary's position, then the replica's, and moves
// caughtUp to the newest sample the replica has replayed.
func (r *replica) check(ctx context.Context) {
	primarySQL, replicaSQL := r.db.d.walPosition()
	if primarySQL == "" {
		r.setUp(r.db.r.PingContext(ctx))
		return
	}
	at := r.db.opts.Now()
	var text string
	if err := r.db.w.QueryRowContext(ctx, primarySQL).Scan(&text); err != nil {
		return // the primary's trouble is the readiness probe's to report
	}
	pos, err := parseWALPosition(text)
	if err != nil {
		r.logger.Warn("replica check", "err", err)
		return
	}
	err = r.db.r.QueryRowContext(ctx, replicaSQL).Scan(&text)
	r.setUp(err)
	if err != nil {
		return
	}
	replayed, err := parseWALPosition(text)
	if err != nil {
		r.logger.Warn("replica check", "err", err)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.samples = append(r.samples, walSample{at: at, pos: pos})
	n := 0 // samples the replica has replayed
	for n < len(r.samples) && r.samples[n].pos <= replayed {
		n++
	}
	if n > 0 {
		r.caughtUp.Store(micros(r.samples[n-1].at))
		r.samples = r.samples[n-1:] // the newest replayed one stays, for the next round
	}
	// A replica far behind would keep every sample: beyond maxLag it is not
	// read anyway, so older samples are dropped and caughtUp stands still.
	if limit := int(r.maxLag/r.interval) + 2; len(r.samples) > limit {
		r.samples = r.samples[len(r.samples)-limit:]
	}
}

func (r *replica) setUp(err error) {
	was := r.up.Swap(err == nil)
	switch {
	case err != nil && was:
		r.logger.Warn("read replica does not answer: reading from the primary", "err", err)
	case err == nil && !was:
		r.logger.Info("read replica answers: reading from it again")
	}
}

// markDown records a failed read on the replica; the next check brings it
// back when it answers again.
func (r *replica) markDown(err error) { r.setUp(err) }

// missed counts a row the replica did not have, looked up again on the
// primary.
func (r *replica) missed() { r.reads[4].Add(1) }

// lag returns how far behind the replica may be, and whether that is known.
func (r *replica) lag() (time.Duration, bool) {
	c := r.caughtUp.Load()
	if c == 0 {
		return 0, false
	}
	return max(0, r.db.opts.Now().Sub(fromMicros(c))), true
}

// choose decides where a read in ctx goes, counts it and returns why:
// ReadReplica, or the reason it goes to the primary.
func (r *replica) choose(ctx context.Context) string {
	reason := r.reason(ctx)
	r.reads[reason].Add(1)
	return readReasonNames[reason]
}

func (r *replica) reason(ctx context.Context) int {
	if !r.up.Load() {
		return 2
	}
	lag, known := r.lag()
	if known && lag > r.maxLag {
		return 3
	}
	if !known && r.measured {
		// A replica never seen caught up may be stuck anywhere (a broken
		// replication connection leaves it at its base backup): until a
		// check finds it holding the primary's position, it is not read.
		return 3
	}
	if after, ok := inkform.ReadAfter(ctx); ok {
		c := r.caughtUp.Load()
		if c == 0 || fromMicros(c).Add(-replicaClockMargin).Before(after) {
			return 1
		}
	}
	return 0
}

func (r *replica) status() ReplicaStatus {
	s := ReplicaStatus{Configured: true, Up: r.up.Load(), Reads: map[string]uint64{}}
	s.Lag, s.LagKnown = r.lag()
	for i, name := range readReasonNames {
		s.Reads[name] = r.reads[i].Load()
	}
	return s
}

// ReplicaStatus reports the read replica's state; Configured is false
// without one.
func (db *DB) ReplicaStatus() ReplicaStatus {
	if db.rep == nil {
		return ReplicaStatus{}
	}
	return db.rep.status()
}

// replicaFailed reports whether a read on the replica failed because of
// the replica, so that it is worth running again on the primary: the
// replica is down or unreachable, or PostgreSQL cancelled the query for a
// conflict with the log it replays.
func replicaFailed(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "40001" {
		return true
	}
	return isOutage(err)
}
