package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// storeConfig says where state lives. Every command that touches the
// database takes these flags.
type storeConfig struct {
	Data      string
	DB        string
	ReadDB    string
	ReadLag   time.Duration
	Migrate   bool
	BatchMax  int
	BatchWait time.Duration
	SecretKey string
}

func (c *storeConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.Data, "data", "./inkform-data", "directory for the SQLite database (when --db is empty) and local files")
	fs.StringVar(&c.DB, "db", "", "database DSN: postgres://…, mysql://user:pass@tcp(host:port)/db, or sqlite:PATH (default: SQLite in --data)")
	fs.StringVar(&c.ReadDB, "read-db", "", "optional read-replica DSN for read-only queries (lists, finders); reads fall back to --db while it does not answer")
	fs.DurationVar(&c.ReadLag, "read-db-max-lag", sqlstore.DefaultReplicaMaxLag, "a read replica further behind than this is not read at all")
	fs.BoolVar(&c.Migrate, "migrate", true, "apply database migrations at start")
	fs.IntVar(&c.BatchMax, "batch-max", 64, "group commit: most submissions per transaction")
	fs.DurationVar(&c.BatchWait, "batch-wait", 2*time.Millisecond, "group commit: longest wait to fill a batch")
	fs.StringVar(&c.SecretKey, "secret-key", "", "base64 of 32 random bytes that encrypt stored secrets (webhook keys); the same on every node; default: a key file in --data, made on first start (set this variable instead of the flag)")
}

// dsn returns the database DSN, defaulting to a SQLite file in the data
// directory (which it creates).
func (c *storeConfig) dsn() (string, error) {
	if c.DB != "" {
		return c.DB, nil
	}
	if err := os.MkdirAll(c.Data, 0o750); err != nil {
		return "", fmt.Errorf("data directory: %w", err)
	}
	return "sqlite:" + filepath.Join(c.Data, "inkform.db"), nil
}

// open opens the store and applies migrations unless turned off.
func (c *storeConfig) open(ctx context.Context, logger *slog.Logger) (*sqlstore.DB, error) {
	dsn, err := c.dsn()
	if err != nil {
		return nil, err
	}
	key, err := c.secretKey()
	if err != nil {
		return nil, err
	}
	db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{
		SecretKey:     key,
		ReadOnlyDSN:   c.ReadDB,
		ReplicaMaxLag: c.ReadLag,
		Logger:        logger,
		BatchMax:      c.BatchMax,
		BatchWait:     c.BatchWait,
		MaxPoints:     inkform.DefaultMaxPoints,
	})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if c.Migrate {
		if err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("migrate: %w", err)
		}
	}
	logger.Debug("database open", "dialect", db.Dialect())
	return db, nil
}

// secretKey returns the key that encrypts stored secrets: --secret-key, or
// the key file in the data directory, made on first use. Several nodes on
// one database must share the key, so they must be given it explicitly.
func (c *storeConfig) secretKey() ([]byte, error) {
	if c.SecretKey != "" {
		key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(c.SecretKey))
		if err != nil || len(key) != sqlstore.SecretKeySize {
			return nil, fmt.Errorf("--secret-key must be base64 of %d bytes (e.g. openssl rand -base64 32)", sqlstore.SecretKeySize)
		}
		return key, nil
	}
	if err := os.MkdirAll(c.Data, 0o750); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	path := filepath.Join(c.Data, "secret.key")
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key := make([]byte, sqlstore.SecretKeySize)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		data = []byte(base64.StdEncoding.EncodeToString(key) + "\n")
		// O_EXCL: two processes starting together keep one key.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			_, err = f.Write(data)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil && !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("write %s: %w", path, err)
		}
		if data, err = os.ReadFile(path); err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(key) != sqlstore.SecretKeySize {
		return nil, fmt.Errorf("%s does not hold base64 of %d bytes", path, sqlstore.SecretKeySize)
	}
	return key, nil
}

// logConfig configures the structured log on stderr.
type logConfig struct {
	Level  string
	Format string
}

func (c *logConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.Level, "log-level", "info", "log level: debug, info, warn, error")
	fs.StringVar(&c.Format, "log-format", "text", "log format: text or json")
}

func (c *logConfig) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.Level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", c.Level)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.Format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", c.Format)
}
