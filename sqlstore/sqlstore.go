// Package sqlstore implements the domain services of inkform with
// database/sql on SQLite (modernc.org/sqlite), PostgreSQL (pgx) and
// MySQL/MariaDB (go-sql-driver/mysql).
//
// All SQL is hand-written with ? placeholders; the differences between the
// databases live in dialect.go. Times are stored as BIGINT Unix microseconds
// (UTC) and JSON as text in every dialect, so that the seam stays small.
// Captured ink goes through a group-commit batcher (batch.go) because a
// commit per submission caps durable ingest far below what the hot path needs.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/inkform/inkform"
)

// Compile-time checks that DB implements the domain services it owns.
var (
	_ inkform.OrgService        = (*DB)(nil)
	_ inkform.TokenService      = (*DB)(nil)
	_ inkform.UserService       = (*DB)(nil)
	_ inkform.FormService       = (*DB)(nil)
	_ inkform.CaptureService    = (*DB)(nil)
	_ inkform.DocumentService   = (*DB)(nil)
	_ inkform.QuarantineService = (*DB)(nil)
)

// Defaults for Options.
const (
	DefaultBatchMax  = 64
	DefaultBatchWait = 2 * time.Millisecond
	DefaultWriters   = 4
)

// Options tune a DB. Zero values take the defaults.
type Options struct {
	// ReadOnlyDSN names a read replica for read-only queries (finders and
	// lists). A replica lags: reads whose context demands a recent write
	// (inkform.WithReadAfter) go to the primary until the replica holds it,
	// and so do all reads while it does not answer. Ignored for SQLite.
	ReadOnlyDSN string
	// ReplicaCheckInterval is how often the replica's position and health
	// are read (DefaultReplicaCheckInterval); ReplicaMaxLag is how far
	// behind it may fall before every read goes to the primary
	// (DefaultReplicaMaxLag). See replica.go.
	ReplicaCheckInterval time.Duration
	ReplicaMaxLag        time.Duration
	// Logger receives the replica's state changes (slog.Default when nil).
	Logger *slog.Logger
	// BatchMax and BatchWait bound one group commit of captured ink: at most
	// BatchMax submissions, collected for at most BatchWait after the first.
	BatchMax  int
	BatchWait time.Duration
	// Writers is the number of capture writer goroutines. SQLite has one
	// writer connection, so it always uses 1.
	Writers int
	// MaxPoints bounds the points decoded from one stored ink row.
	MaxPoints int
	// Now returns the current time; tests set it.
	Now func() time.Time
	// SecretKey (SecretKeySize bytes) encrypts secrets the store must be
	// able to read back, such as webhook signing keys. Every node sharing
	// a database needs the same key.
	SecretKey []byte
}

// DB is a database holding inkform's data. It implements the domain's org,
// token, user, form, capture, document and quarantine services.
type DB struct {
	// claimTurns has the claims of each queue serve busy orgs in turn.
	claimTurns inkform.ClaimTurns
	// promotes spares claims the look for retryable jobs (jobqueue_promote.go).
	promotes promoteGate
	// orgLists spares claims the listing of orgs (jobqueue_orgs.go).
	orgLists orgGate
	// keyLists spares claims the look for due jobs while limit keys are
	// full (jobqueue_keys.go).
	keyLists keyGate
	d        dialect
	binds    bindCache // statements rebound for d (query.go)
	w        *sql.DB   // writes; for SQLite the single writer connection
	r        *sql.DB   // reads; for SQLite a read-only pool, else w or the replica
	rep      *replica  // the replica's health and position; nil without one
	// wKept and rKept keep statements prepared on SQLite's writer and
	// read pools (stmtcache.go); nil on the other databases.
	wKept, rKept *keptStmts
	opts         Options

	path    string // SQLite file, for the checkpointer
	batcher *batcher
	// deliveries writes webhook delivery records in shared transactions.
	deliveries deliveryLog

	// enqueued is told the queue of every job a committed transaction
	// enqueued, so the workers of this node start at once (SetEnqueueHook).
	enqueued atomic.Pointer[func(queue string)]
	// notifier tells every node of such jobs (SetNotifier); listener,
	// when set, does so inside the enqueuing transaction (Listen).
	notifier atomic.Pointer[inkform.Notifier]
	listener atomic.Pointer[Listener]
	dsn      string // of a server database, for the listener's connection

	// group commits SQLite's inWrite and inLeaseWrite functions
	// together (sqlite_group.go); nil on the servers.
	group *writeGroup

	closeOnce sync.Once
	stop      chan struct{} // closed by Close to stop background goroutines
	bg        sync.WaitGroup
}

// Open connects to the database named by dsn and starts the capture batcher.
// It does not migrate; call Migrate. The dsn is "sqlite:PATH" or a path
// ending in .db or .sqlite, "postgres://…" or "postgresql://…", or
// "mysql://user:pass@tcp(host:port)/db?params".
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	d, target, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	opts = withDefaults(d, opts)
	db := &DB{d: d, opts: opts, stop: make(chan struct{}), dsn: target}
	if d.embedded() {
		err = db.openSQLite(target)
	} else {
		err = db.openServer(d.driverName(), target)
	}
	if err != nil {
		return nil, err
	}
	if err := db.Ping(ctx); err != nil {
		db.closePools()
		return nil, err
	}
	db.batcher = newBatcher(db)
	if d.embedded() {
		db.group = newWriteGroup(db)
	}
	db.deliveries.in = make(chan *deliveryRecord)
	db.bg.Add(1)
	go db.writeDeliveryLog(db.deliveries.in)
	if d.embedded() {
		db.bg.Add(1)
		go db.checkpointLoop()
	}
	if db.rep != nil {
		// The first check before any read, so reads start on the replica
		// when it is there and on the primary when it is not.
		db.rep.check(ctx)
		db.bg.Add(1)
		go db.rep.loop()
	}
	return db, nil
}

func withDefaults(d dialect, o Options) Options {
	if o.BatchMax <= 0 {
		o.BatchMax = DefaultBatchMax
	}
	if o.BatchWait <= 0 {
		o.BatchWait = DefaultBatchWait
	}
	if o.Writers <= 0 {
		o.Writers = DefaultWriters
	}
	if d.embedded() {
		o.Writers = 1 // SQLite has one writer connection
	}
	if o.MaxPoints <= 0 {
		o.MaxPoints = inkform.DefaultMaxPoints
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ReplicaCheckInterval <= 0 {
		o.ReplicaCheckInterval = DefaultReplicaCheckInterval
	}
	if o.ReplicaMaxLag <= 0 {
		o.ReplicaMaxLag = DefaultReplicaMaxLag
	}
	return o
}

func (db *DB) openServer(driver, dsn string) error {
	w, err := sql.Open(driver, dsn)
	if err != nil {
		return fmt.Errorf("open %s: %w", db.d, err)
	}
	// Writers plus a margin for the non-capture writes and reads that share
	// the pool when no replica is configured.
	w.SetMaxOpenConns(db.opts.Writers + 16)
	w.SetMaxIdleConns(db.opts.Writers + 16)
	w.SetConnMaxIdleTime(5 * time.Minute)
	db.w, db.r = w, w
	if db.opts.ReadOnlyDSN == "" {
		return nil
	}
	rd, rtarget, err := parseDSN(db.opts.ReadOnlyDSN)
	if err != nil {
		w.Close()
		return fmt.Errorf("read-only dsn: %w", err)
	} else if rd != db.d {
		w.Close()
		return inkform.Errorf(inkform.EINVALID, "read-only DSN is %s, the database is %s", rd, db.d)
	}
	if db.r, err = sql.Open(driver, rtarget); err != nil {
		w.Close()
		return fmt.Errorf("open replica: %w", err)
	}
	db.r.SetMaxOpenConns(db.opts.Writers + 16)
	db.r.SetMaxIdleConns(db.opts.Writers + 16)
	db.r.SetConnMaxIdleTime(5 * time.Minute)
	db.rep = newReplica(db)
	return nil
}

// Ping checks that the database answers, for readiness probes.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.w.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s: %w", db.d, err)
	}
	// A replica that does not answer is not an outage: reads fall back to
	// the primary (replica.go), so it does not make the node unready.
	if db.r != db.w && db.rep == nil {
		if err := db.r.PingContext(ctx); err != nil {
			return fmt.Errorf("ping %s reader: %w", db.d, err)
		}
	}
	return nil
}

// Dialect returns "sqlite", "postgres" or "mysql".
func (db *DB) Dialect() string { return db.d.String() }

// Close drains the capture batcher, so that every accepted submission is
// committed and answered, then stops the background work and closes the
// connections. Captures after Close fail with EUNAVAILABLE.
func (db *DB) Close() error {
	var err error
	db.closeOnce.Do(func() {
		if db.batcher != nil {
			db.batcher.close()
		}
		close(db.stop)
		db.bg.Wait()
		if db.group != nil {
			db.group.close() // after the background work, which writes too
		}
		err = db.closePools()
	})
	return err
}

func (db *DB) closePools() error {
	db.wKept.close()
	db.rKept.close()
	var errs []error
	if db.r != nil && db.r != db.w {
		errs = append(errs, db.r.Close())
	}
	if db.w != nil {
		errs = append(errs, db.w.Close())
	}
	return errors.Join(errs...)
}

// now returns the current time truncated to what the database stores.
func (db *DB) now() time.Time {
	return db.opts.Now().UTC().Truncate(time.Microsecond)
}

// micros converts a time to the stored representation.
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros converts a stored time back.
func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// notFound wraps sql.ErrNoRows into the domain's ENOTFOUND and passes other
// errors on with context.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return inkform.Errorf(inkform.ENOTFOUND, "%s not found", what)
	}
	return fmt.Errorf("find %s: %w", what, err)
}
