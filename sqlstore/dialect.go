package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
	"github.com/pressly/goose/v3/lock"
	"modernc.org/sqlite"

	"github.com/inkform/inkform"
)

// dialect is the one seam between the three databases, in the shape of a
// River driver: the rest of the package is hand-written SQL with ?
// placeholders that runs unchanged on all of them (through querier, which
// rebinds it), and asks the dialect's methods for whatever differs. No code
// outside this file asks which database it runs on.
type dialect int

const (
	dialectSQLite dialect = iota
	dialectPostgres
	dialectMySQL
)

// SQLite extended result codes for unique and primary key violations. They
// are spelled out instead of importing modernc.org/sqlite/lib, whose
// generated files are large.
const (
	sqliteConstraintPrimaryKey = 1555
	sqliteConstraintUnique     = 2067
)

// parseDSN picks the dialect from the DSN and returns the driver's DSN.
func parseDSN(dsn string) (dialect, string, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		return dialectSQLite, strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "//"), nil
	case strings.HasSuffix(dsn, ".db") || strings.HasSuffix(dsn, ".sqlite"):
		return dialectSQLite, dsn, nil
	case strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://"):
		return dialectPostgres, dsn, nil
	case strings.HasPrefix(dsn, "mysql://"):
		cfg, err := mysql.ParseDSN(strings.TrimPrefix(dsn, "mysql://"))
		if err != nil {
			return 0, "", inkform.Errorf(inkform.EINVALID, "mysql dsn: %v", err)
		}
		// Times are stored as integers, so parseTime is not needed; goose
		// splits migrations into single statements, so multiStatements is
		// not either.
		if cfg.Params == nil {
			cfg.Params = map[string]string{}
		}
		if _, ok := cfg.Params["charset"]; !ok {
			cfg.Params["charset"] = "utf8mb4"
		}
		return dialectMySQL, cfg.FormatDSN(), nil
	}
	return 0, "", inkform.Errorf(inkform.EINVALID, "unknown database DSN: want sqlite:PATH, a .db or .sqlite path, postgres://… or mysql://…")
}

// String returns the name that DB.Dialect reports, which is also the name
// of the dialect's migrations folder.
func (d dialect) String() string {
	switch d {
	case dialectPostgres:
		return "postgres"
	case dialectMySQL:
		return "mysql"
	}
	return "sqlite"
}

// embedded reports whether the database is a file this process opens
// itself (SQLite): one writer connection beside a pool of readers of the
// same file, which never lag, and WAL checkpoints to run.
func (d dialect) embedded() bool { return d == dialectSQLite }

// driverName is the database/sql driver of a server dialect.
func (d dialect) driverName() string {
	switch d {
	case dialectPostgres:
		return "pgx"
	case dialectMySQL:
		return "mysql"
	}
	return "sqlite"
}

// migrations returns goose's dialect and a lock that lives as long as the
// migrating connection: a PostgreSQL advisory lock, a MySQL named lock or a
// lease row on SQLite (see migrate.go). owner names the SQLite lease.
func (d dialect) migrations(owner string) (database.Dialect, lock.SessionLocker, error) {
	switch d {
	case dialectPostgres:
		l, err := lock.NewPostgresSessionLocker(lock.WithLockID(migrateLockID),
			lock.WithLockTimeout(1, uint64(migrateLockWait/time.Second)))
		return goose.DialectPostgres, l, err
	case dialectMySQL:
		return goose.DialectMySQL, mysqlLocker{}, nil
	}
	return goose.DialectSQLite3, sqliteLocker{owner: owner}, nil
}

// rebind rewrites ? placeholders to $1, $2, … for PostgreSQL. Question marks
// inside string literals are left alone; the package's SQL never puts one
// inside an identifier. Code runs queries through querier, which calls it.
func (d dialect) rebind(query string) string {
	if !d.numbersPlaceholders() || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n, quoted := 0, false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// numbersPlaceholders reports whether rebind changes anything.
func (d dialect) numbersPlaceholders() bool { return d == dialectPostgres }

// txOptions are the options of write transactions. PostgreSQL and MySQL run
// them at READ COMMITTED so that a statement after a wait sees what the
// other transaction committed (MySQL's default REPEATABLE READ would not);
// SQLite transactions are serializable anyway and refuse other levels.
func (d dialect) txOptions() *sql.TxOptions {
	if d == dialectSQLite {
		return nil
	}
	return &sql.TxOptions{Isolation: sql.LevelReadCommitted}
}

// asyncCommit is the statement that lets a transaction commit without
// waiting for the disk, or "" when the dialect has no such setting per
// transaction (see DB.inLeaseWrite). SQLite has one, but refuses it inside
// a transaction: relaxedWrite sets it around one.
func (d dialect) asyncCommit() string {
	if d == dialectPostgres {
		return "SET LOCAL synchronous_commit = off"
	}
	return ""
}

// relaxesLeaseWrites reports whether inLeaseWrite commits without waiting
// for the disk; where it does not, a single bookkeeping statement runs in
// autocommit instead, saving the BEGIN and COMMIT round trips.
func (d dialect) relaxesLeaseWrites() bool { return d.embedded() || d.asyncCommit() != "" }

// preparesInTx reports whether a transaction that runs the same statements
// many times gains from preparing each once (stmtCache): on SQLite it
// saves parsing and planning, on MySQL a round trip per execution. pgx
// already caches prepared statements per connection.
func (d dialect) preparesInTx() bool { return d != dialectPostgres }

// insertIgnore turns "INSERT INTO …" into an insert that silently skips a row
// whose unique key already exists. Callers check RowsAffected. On PostgreSQL
// ON CONFLICT DO NOTHING waits for a concurrent inserter of the same key and
// then skips, which is what idempotency needs, and unlike a failed INSERT it
// does not abort the transaction.
func (d dialect) insertIgnore(insert string) string {
	if d == dialectMySQL {
		return "INSERT IGNORE" + strings.TrimPrefix(insert, "INSERT")
	}
	return insert + " ON CONFLICT DO NOTHING"
}

// insertID runs an INSERT into a table with an auto-increment id column and
// returns the new id: RETURNING on PostgreSQL, LastInsertId elsewhere.
func (d dialect) insertID(ctx context.Context, q querier, insert string, args ...any) (int64, error) {
	if d == dialectPostgres {
		var id int64
		err := q.queryRow(ctx, insert+" RETURNING id", args...).Scan(&id)
		return id, err
	}
	res, err := q.exec(ctx, insert, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// updateReturning reports whether UPDATE … RETURNING is available
// (PostgreSQL, SQLite 3.35+; MySQL and MariaDB have none).
func (d dialect) updateReturning() bool { return d != dialectMySQL }

// forUpdate is the row-locking suffix of a SELECT inside a write
// transaction. SQLite has one writer at a time, so it needs none.
func (d dialect) forUpdate() string {
	if d == dialectSQLite {
		return ""
	}
	return " FOR UPDATE"
}

// forUpdateSkipLocked is the suffix of a claim's SELECT: FOR UPDATE SKIP
// LOCKED on PostgreSQL, MySQL 8 and MariaDB 10.6+. On SQLite a claim runs
// in an immediate transaction instead, which already excludes other writers.
func (d dialect) forUpdateSkipLocked() string {
	if d == dialectSQLite {
		return ""
	}
	return " FOR UPDATE SKIP LOCKED"
}

// idIn returns a condition "id is one of ids" and its arguments. On
// PostgreSQL it is "id = ANY(?)" with one array argument, so every list
// length shares one prepared statement instead of preparing a new one.
func (d dialect) idIn(ids []int64) (string, []any) {
	if d == dialectPostgres {
		return "id = ANY(?)", []any{ids}
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return "id IN (" + placeholders(len(ids)) + ")", args
}

// deleteLimit returns a DELETE of at most n rows of table matching where,
// which keeps each delete short. MySQL cannot LIMIT a subquery of IN, so it
// gets its own DELETE … LIMIT, which the others lack.
func (d dialect) deleteLimit(table, where string, n int) string {
	if d == dialectMySQL {
		return "DELETE FROM " + table + " WHERE " + where + " LIMIT " + strconv.Itoa(n)
	}
	return "DELETE FROM " + table + " WHERE id IN (SELECT id FROM " + table + " WHERE " + where +
		" LIMIT " + strconv.Itoa(n) + ")"
}

// placeholders returns "?, ?, …" with n marks, for IN lists and multi-row
// inserts.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// isUniqueViolation reports whether err is a unique or primary key
// violation in any of the three databases.
func isUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	var my *mysql.MySQLError
	if errors.As(err, &my) {
		return my.Number == 1062
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		return lite.Code() == sqliteConstraintUnique || lite.Code() == sqliteConstraintPrimaryKey
	}
	return false
}

// isConflict reports whether err is a deadlock or serialization failure
// that a retry of the whole transaction resolves.
func isConflict(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "40001" || pg.Code == "40P01"
	}
	var my *mysql.MySQLError
	if errors.As(err, &my) {
		return my.Number == 1213 || my.Number == 1205
	}
	return false
}

// snapshotTxOptions are the options of a backup's read transaction: one
// snapshot for every statement in it. SQLite readers in WAL mode have that
// already and refuse other levels.
func (d dialect) snapshotTxOptions() *sql.TxOptions {
	if d == dialectSQLite {
		return nil
	}
	return &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
}

// importInsert is the start of an INSERT that loads rows with their own ids
// into table: PostgreSQL refuses values for a GENERATED ALWAYS identity
// column unless told to take them.
func (d dialect) importInsert(table, columns string, serial bool) string {
	s := "INSERT INTO " + table + " (" + columns + ")"
	if serial && d == dialectPostgres {
		s += " OVERRIDING SYSTEM VALUE"
	}
	return s + " VALUES "
}

// afterImport is the statement that moves table's id counter past the
// loaded ids, or "": MySQL and SQLite move it on every insert of an
// explicit id, PostgreSQL's sequences do not.
func (d dialect) afterImport(table string) string {
	if d != dialectPostgres {
		return ""
	}
	return "SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), COALESCE((SELECT MAX(id) FROM " + table + "), 0) + 1, false)"
}

// walPosition returns the statements that read the primary's position in
// its write-ahead log (every synchronous commit so far is at or before it)
// and how far a replica has replayed that log, each as text parsed by
// parseWALPosition; "" when the dialect has no way to compare them, so a
// replica's lag is unknown. A replica that is not in recovery (a read-only
// DSN naming the primary itself) reports the primary's position.
func (d dialect) walPosition() (primary, replica string) {
	if d == dialectPostgres {
		return `SELECT pg_current_wal_flush_lsn()::text`,
			`SELECT COALESCE(pg_last_wal_replay_lsn(), pg_current_wal_flush_lsn())::text`
	}
	return "", ""
}

// parseWALPosition turns a PostgreSQL LSN ("16/B374D848") into a number
// that orders positions.
func parseWALPosition(s string) (uint64, error) {
	hi, lo, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return 0, fmt.Errorf("wal position %q: no /", s)
	}
	h, err := strconv.ParseUint(hi, 16, 32)
	if err != nil {
		return 0, fmt.Errorf("wal position %q: %w", s, err)
	}
	l, err := strconv.ParseUint(lo, 16, 32)
	if err != nil {
		return 0, fmt.Errorf("wal position %q: %w", s, err)
	}
	return h<<32 | l, nil
}
