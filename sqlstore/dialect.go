package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
)

// dialect is the one seam between the three databases. Everything else in the
// package is hand-written SQL with ? placeholders that runs unchanged on all
// of them; the differences that cannot be avoided live here.
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

// String returns the name that DB.Dialect reports.
func (d dialect) String() string {
	switch d {
	case dialectPostgres:
		return "postgres"
	case dialectMySQL:
		return "mysql"
	}
	return "sqlite"
}

// rebind rewrites ? placeholders to $1, $2, … for PostgreSQL. Question marks
// inside string literals are left alone; the package's SQL never puts one
// inside an identifier.
func (d dialect) rebind(query string) string {
	if d != dialectPostgres || !strings.Contains(query, "?") {
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

// insertIgnore turns "INSERT INTO …" into an insert that silently skips a row
// whose unique key already exists. Callers check RowsAffected. On PostgreSQL
// ON CONFLICT DO NOTHING waits for a concurrent inserter of the same key and
// then skips, which is what idempotency needs, and unlike a failed INSERT it
// does not abort the transaction.
func (d dialect) insertIgnore(insert string) string {
	switch d {
	case dialectMySQL:
		return "INSERT IGNORE" + strings.TrimPrefix(insert, "INSERT")
	default:
		return insert + " ON CONFLICT DO NOTHING"
	}
}

// forUpdate is the row-locking suffix of a SELECT inside a write
// transaction. SQLite has one writer at a time, so it needs none.
func (d dialect) forUpdate() string {
	if d == dialectSQLite {
		return ""
	}
	return " FOR UPDATE"
}

// skipLocked reports whether claims may use FOR UPDATE SKIP LOCKED
// (PostgreSQL, MySQL 8, MariaDB 10.6+). On SQLite a claim runs in an
// immediate transaction instead, which already excludes other writers.
func (d dialect) skipLocked() bool {
	return d != dialectSQLite
}

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

// execer is what both *sql.DB and *sql.Tx offer.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// insertID runs an INSERT into a table with an auto-increment id column and
// returns the new id: RETURNING on PostgreSQL, LastInsertId elsewhere.
func (d dialect) insertID(ctx context.Context, q execer, insert string, args ...any) (int64, error) {
	if d == dialectPostgres {
		var id int64
		err := q.QueryRowContext(ctx, d.rebind(insert+" RETURNING id"), args...).Scan(&id)
		return id, err
	}
	res, err := q.ExecContext(ctx, insert, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
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

// placeholders returns "?, ?, …" with n marks, for IN lists and multi-row
// inserts.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// updateReturning reports whether UPDATE … RETURNING is available
// (PostgreSQL, SQLite 3.35+; MySQL and MariaDB have none).
func (d dialect) updateReturning() bool {
	return d != dialectMySQL
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
