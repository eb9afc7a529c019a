package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
)

// migrations holds one folder per dialect with the same version numbers,
// so that "version N" means the same schema on every database.
//
//go:embed migrations
var migrations embed.FS

// migrateLockID is the PostgreSQL advisory lock and, as a string, the MySQL
// named lock held while migrating.
const (
	migrateLockID   = 0x696e6b666f726d // "inkform"
	migrateLockName = "inkform_migrate"
	migrateLockWait = 5 * time.Minute
)

// Migrate brings the schema up to date. It is safe when several nodes start
// at once: each takes a lock that lives as long as its connection (a
// PostgreSQL advisory lock, a MySQL named lock, or a lease row on SQLite),
// so one node migrates and the others find nothing left to do.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.migrator()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	// goose has been seen (once, on MariaDB, with dozens of test databases
	// migrating on one server at once) to find the version table without
	// its zero row, though the session lock is held; the cause is not
	// known. A migration run is idempotent, so that state is retried.
	for try := 0; ; try++ {
		_, err := p.Up(ctx)
		if err == nil {
			return nil
		}
		if try == 3 || !strings.Contains(err.Error(), "missing zero version") {
			return fmt.Errorf("migrate: %w", err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("migrate: %w", err)
		case <-time.After(time.Duration(try+1) * 200 * time.Millisecond):
		}
	}
}

// migrator returns a goose provider of the dialect's migrations on the
// primary database, holding the migration lock while it runs.
func (db *DB) migrator() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+db.d.String())
	if err != nil {
		return nil, err
	}
	gd, locker, err := db.d.migrations(fmt.Sprintf("%p-%d", db, time.Now().UnixNano()))
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(gd, db.w, sub, goose.WithSessionLocker(locker), goose.WithDisableGlobalRegistry(true))
}

// mysqlLocker serialises migrations with GET_LOCK, which MySQL releases by
// itself when the connection dies, so a crashed node cannot wedge others.
// goose ships only a table-based locker for MySQL.
type mysqlLocker struct{}

func (mysqlLocker) SessionLock(ctx context.Context, conn *sql.Conn) error {
	var got sql.NullInt64
	err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, ?)", migrateLockName, int(migrateLockWait/time.Second)).Scan(&got)
	if err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	if !got.Valid || got.Int64 != 1 {
		return errors.New("migration lock: timed out waiting for another node")
	}
	return nil
}

func (mysqlLocker) SessionUnlock(ctx context.Context, conn *sql.Conn) error {
	_, err := conn.ExecContext(ctx, "SELECT RELEASE_LOCK(?)", migrateLockName)
	return err
}

// sqliteLocker serialises migrations of processes sharing one SQLite file
// with a lease row: SQLite has no session locks, and holding an immediate
// transaction would stop goose from opening its own on the same connection.
// The lease expires so that a crashed migrator does not block forever.
// Within one process the single writer connection already serialises.
type sqliteLocker struct{ owner string }

const sqliteLease = 10 * time.Minute

func (l sqliteLocker) SessionLock(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS inkform_migrate_lock (
		id INTEGER PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	for {
		now := time.Now()
		res, err := conn.ExecContext(ctx, `INSERT INTO inkform_migrate_lock (id, owner, expires_at) VALUES (1, ?, ?)
			ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
			WHERE inkform_migrate_lock.expires_at < ?`, l.owner, micros(now.Add(sqliteLease)), micros(now))
		if err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("migration lock: %w", ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (l sqliteLocker) SessionUnlock(ctx context.Context, conn *sql.Conn) error {
	_, err := conn.ExecContext(ctx, "DELETE FROM inkform_migrate_lock WHERE owner = ?", l.owner)
	return err
}

// migrateTo applies the migrations up to version and no further: a restore
// loads an archive into the schema it was made from.
func (db *DB) migrateTo(ctx context.Context, version int64) error {
	p, err := db.migrator()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := p.UpTo(ctx, version); err != nil {
		return fmt.Errorf("migrate to %d: %w", version, err)
	}
	return nil
}
