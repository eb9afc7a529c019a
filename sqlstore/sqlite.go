package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"runtime"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"github.com/inkform/inkform"
)

// SQLite tuning. A checkpoint on the writer's path stalls captures, so the
// writer never checkpoints (wal_autocheckpoint=0); a background goroutine
// runs a PASSIVE checkpoint every 25 ms, which never blocks the writer.
// After a complete one the next write starts the WAL from its beginning
// again, so the WAL stays about 25 ms of writes long, and
// journal_size_limit shrinks the file back when that happens. Only when
// PASSIVE checkpoints cannot finish (a reader held an old snapshot for a
// long time) and the WAL passes walTruncateBytes does a TRUNCATE checkpoint
// run — it waits for readers and blocks the writer, hence the high bar. (A
// TRUNCATE whenever the file passed 64 MB stalled ingest for ~0.4 s every
// second under load: the file keeps its size after a reset.) Checkpoints
// every second, at 1,100 captures/s for a minute, copied tens of MB at a
// time into the database file, and the writer's fsyncs waited behind them:
// open-loop p90 971 ms, p99 1.21 s; every 100 ms, p90 24 ms, p99 548 ms
// (later 303 ms); every 25 ms, p99 19 ms, longest 67 ms; with no
// checkpoint at all (20 s), p99 14 ms: the stalls are the writer's fsync
// waiting for the checkpoint's writes to reach the disk, so smaller, more
// frequent checkpoints stall it less (docs/performance.md).
const (
	sqliteBusyTimeout  = 10000 // ms
	checkpointInterval = 25 * time.Millisecond
	walTruncateBytes   = 1 << 30
	walSizeLimit       = 64 << 20
)

// sqliteDSN builds a modernc.org/sqlite DSN for path with pragmas.
func sqliteDSN(path string, txlock string, pragmas ...string) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", sqliteBusyTimeout))
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	if txlock != "" {
		q.Set("_txlock", txlock)
	}
	return "file:" + path + "?" + q.Encode()
}

// openSQLite opens one writer connection (immediate transactions, WAL,
// synchronous=FULL so a commit survives power loss, no automatic
// checkpoints) and a pool of read-only connections: with WAL readers never
// block the writer.
func (db *DB) openSQLite(path string) error {
	if path == "" {
		return inkform.Errorf(inkform.EINVALID, "sqlite dsn needs a file path")
	}
	db.path = path
	if err := restrictFiles(path); err != nil {
		return err
	}
	w, err := sql.Open("sqlite", sqliteDSN(path, "immediate",
		"journal_mode(WAL)", "synchronous(FULL)", "wal_autocheckpoint(0)", "foreign_keys(0)",
		// Savepoints (group commit) keep the pages they change in a
		// sub-journal, which spills to a temporary file past 64 KB: two
		// writes per page, about a third of the writer's system calls in
		// bench-e2e.sh. In memory it costs at most the pages one write
		// transaction changes.
		"temp_store(MEMORY)",
		fmt.Sprintf("journal_size_limit(%d)", walSizeLimit)))
	if err != nil {
		return fmt.Errorf("open sqlite writer: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// Open the writer first so that the file exists in WAL mode before any
	// reader looks at it.
	if err := w.Ping(); err != nil {
		w.Close()
		return fmt.Errorf("open sqlite writer: %w", err)
	}
	r, err := sql.Open("sqlite", sqliteDSN(path, "", "query_only(1)"))
	if err != nil {
		w.Close()
		return fmt.Errorf("open sqlite readers: %w", err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	db.w, db.r = w, r
	db.wKept, db.rKept = newKeptStmts(w), newKeptStmts(r)
	return nil
}

// restrictFiles makes the database file, and its WAL and shared-memory
// files where they exist, readable by this user only: they hold every
// document. SQLite gives the -wal and -shm files the mode of the database
// file, so creating that one 0600 before SQLite does covers all three, and
// files an older version made 0644 are narrowed.
func restrictFiles(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open sqlite file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("open sqlite file: %w", err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("restrict sqlite file: %w", err)
		}
	}
	return nil
}

// checkpointLoop keeps the WAL in hand off the writer's path. It uses its
// own connection: a checkpoint copies committed pages into the database
// file while the writer keeps appending to the WAL.
func (db *DB) checkpointLoop() {
	defer db.bg.Done()
	c, err := sql.Open("sqlite", sqliteDSN(db.path, ""))
	if err != nil {
		return
	}
	defer c.Close()
	c.SetMaxOpenConns(1)
	tick := time.NewTicker(checkpointInterval)
	defer tick.Stop()
	for {
		select {
		case <-db.stop:
			// A final TRUNCATE leaves a small WAL behind for the next start.
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_, _ = c.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
			cancel()
			return
		case <-tick.C:
		}
		mode := "PASSIVE"
		if fi, err := os.Stat(db.path + "-wal"); err == nil && fi.Size() > walTruncateBytes {
			mode = "TRUNCATE"
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		// Errors are not fatal: SQLITE_BUSY just means "try next second".
		_, _ = c.ExecContext(ctx, "PRAGMA wal_checkpoint("+mode+")")
		cancel()
	}
}
