package sqlstore

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"

	"github.com/inkform/inkform"
)

// outageRetry is the Retry-After of a database outage: long enough for a
// restart or a failover to finish, short enough that a pen gateway's
// backlog drains soon after.
const outageRetry = 5 * time.Second

// SQLite result codes of a database that cannot write or be read: a full
// disk, an I/O error (the low byte of every extended IOERR code), a file
// that cannot be opened, and a lock held past the busy timeout.
const (
	sqliteBusy     = 5
	sqliteIOErr    = 10
	sqliteFull     = 13
	sqliteCantOpen = 14
)

// outage marks err as EUNAVAILABLE when it says the database cannot be
// reached or cannot write — a refused or lost connection, a server
// shutting down or out of connections, a full disk — so that the API
// answers 503 with Retry-After and a gateway retries later rather than
// giving up on a 500. Nothing was acknowledged in such a case, so a retry
// loses nothing. Other errors, and errors with a code already, are
// returned as they are; the cause stays in the chain for the log.
func outage(err error) error {
	if err == nil || !isOutage(err) {
		return err
	}
	return inkform.Unavailable(err, "the database is unavailable or cannot write at the moment; nothing was stored, try again shortly", outageRetry)
}

// isOutage reports whether err comes from a database that cannot be
// reached or cannot write, in any of the three engines.
func isOutage(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		// 08: connection exception; 53: insufficient resources (disk
		// full, out of memory, too many connections); 57P01–57P03: the
		// server shuts down or is starting; 58: system (I/O) error.
		c := pg.Code
		return strings.HasPrefix(c, "08") || strings.HasPrefix(c, "53") || strings.HasPrefix(c, "58") ||
			c == "57P01" || c == "57P02" || c == "57P03"
	}
	var my *mysql.MySQLError
	if errors.As(err, &my) {
		switch my.Number {
		case 1021, 1114: // disk full, table full
			return true
		case 1040, 1053, 1077, 1152, 1153, 1158, 1159, 1160, 1161: // connections, shutdown, aborted or broken packets
			return true
		}
		return false
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		switch lite.Code() & 0xff {
		case sqliteBusy, sqliteIOErr, sqliteFull, sqliteCantOpen:
			return true
		}
		return false
	}
	var connect *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connect) || errors.As(err, &netErr) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) || errors.Is(err, mysql.ErrInvalidConn) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EIO) ||
		// A connection cut mid-answer: database/sql hands it back as is.
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}
