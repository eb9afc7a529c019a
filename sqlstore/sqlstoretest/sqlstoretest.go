// Package sqlstoretest gives tests throw-away databases on every engine the
// store supports: SQLite always, PostgreSQL and MySQL/MariaDB when
// INKFORM_TEST_POSTGRES_DSN and INKFORM_TEST_MYSQL_DSN name a server. A test
// skips (with the variable's name) when its engine is not configured and
// fails when it is configured but unreachable.
package sqlstoretest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Environment variables naming the test servers.
const (
	EnvPostgres = "INKFORM_TEST_POSTGRES_DSN"
	EnvMySQL    = "INKFORM_TEST_MYSQL_DSN"
)

// Dialects are the engines, in the order tests run them.
var Dialects = []string{"sqlite", "postgres", "mysql"}

// ForEach runs fn as a parallel subtest per engine (named after it) with the
// DSN of a fresh, empty database that is dropped when the subtest ends.
func ForEach(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	for _, name := range Dialects {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, NewDatabase(t, name))
		})
	}
}

// NewDatabase returns the DSN (in the form sqlstore.Open takes) of an empty
// database of the dialect, dropped after the test.
func NewDatabase(t testing.TB, dialect string) string {
	t.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "inkform_t_" + hex.EncodeToString(b[:])
	switch dialect {
	case "postgres":
		admin := os.Getenv(EnvPostgres)
		if admin == "" {
			t.Skip(EnvPostgres + " is not set; skipping PostgreSQL (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
		}
		u, err := url.Parse(admin)
		if err != nil {
			t.Fatalf("%s: %v", EnvPostgres, err)
		}
		create(t, "pgx", admin, "CREATE DATABASE "+name, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		u.Path = "/" + name
		return u.String()
	case "mysql":
		admin := os.Getenv(EnvMySQL)
		if admin == "" {
			t.Skip(EnvMySQL + " is not set; skipping MySQL (e.g. mysql://root@tcp(127.0.0.1:3306)/test)")
		}
		cfg, err := mysql.ParseDSN(strings.TrimPrefix(admin, "mysql://"))
		if err != nil {
			t.Fatalf("%s: %v", EnvMySQL, err)
		}
		create(t, "mysql", cfg.FormatDSN(),
			"CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", "DROP DATABASE IF EXISTS "+name)
		cfg.DBName = name
		return "mysql://" + cfg.FormatDSN()
	case "sqlite":
		return "sqlite:" + filepath.Join(t.TempDir(), "inkform.db")
	}
	t.Fatalf("unknown dialect %q", dialect)
	return ""
}

// create runs the CREATE statement on the admin connection and registers
// the DROP. Cleanups run last-registered first, so the drop runs after a
// store opened on the database (registered later) has been closed.
func create(t testing.TB, driver, adminDSN, createSQL, dropSQL string) {
	t.Helper()
	admin, err := sql.Open(driver, adminDSN)
	if err != nil {
		t.Fatalf("open admin connection: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, createSQL); err != nil {
		admin.Close()
		t.Fatalf("create test database (is the server running?): %v", err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), dropSQL); err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})
}
