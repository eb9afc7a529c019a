package main

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/backup"
	"github.com/inkform/inkform/sqlstore"
)

// envPassphrase holds the passphrase that seals an archive's keys when no
// --passphrase-file is given. There is no flag for the passphrase itself:
// flags show in process listings.
const envPassphrase = "INKFORM_BACKUP_PASSPHRASE"

// archiveFlags are the flags backup and restore share beside the store's.
type archiveFlags struct {
	store          storeConfig
	blob           blobConfig
	log            logConfig
	withKeys       bool
	passphraseFile string
}

func (a *archiveFlags) register(fs *flag.FlagSet) {
	a.store.register(fs)
	a.blob.register(fs)
	a.log.register(fs)
	fs.BoolVar(&a.withKeys, "with-keys", false, "include (backup) or take (restore) the secret key, sealed with a passphrase from --passphrase-file or "+envPassphrase)
	fs.StringVar(&a.passphraseFile, "passphrase-file", "", "file holding the passphrase for --with-keys (first line)")
}

// passphrase reads the passphrase for --with-keys.
func (a *archiveFlags) passphrase() ([]byte, error) {
	if a.passphraseFile != "" {
		data, err := os.ReadFile(a.passphraseFile)
		if err != nil {
			return nil, fmt.Errorf("--passphrase-file: %w", err)
		}
		line, _, _ := strings.Cut(string(data), "\n")
		return []byte(strings.TrimRight(line, "\r")), nil
	}
	if p := os.Getenv(envPassphrase); p != "" {
		return []byte(p), nil
	}
	return nil, fmt.Errorf("%w: --with-keys needs a passphrase: --passphrase-file FILE or %s", errUsage, envPassphrase)
}

// openArchive returns the store of an archive: a directory, or an S3
// prefix with the same URL options and credentials as --blob.
func openArchive(ctx context.Context, loc string) (inkform.BlobStore, error) {
	if loc == "" {
		return nil, fmt.Errorf("%w: name the archive: a directory or s3://bucket/prefix", errUsage)
	}
	if strings.HasPrefix(loc, "s3://") {
		return (&blobConfig{URL: loc}).open(ctx, "")
	}
	return backup.NewDir(loc)
}

// openDatabase opens the system's database without migrating it and
// without making a key file, which a backup must not change and a restore
// must not make before it has checked the archive.
func (a *archiveFlags) openDatabase(ctx context.Context, mustExist bool) (*sqlstore.DB, error) {
	if mustExist && a.store.DB == "" {
		path := filepath.Join(a.store.Data, "inkform.db")
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("no database at %s (--data, or --db for PostgreSQL and MySQL): %w", path, err)
		}
	}
	dsn, err := a.store.dsn()
	if err != nil {
		return nil, err
	}
	db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return db, nil
}

func runBackup(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var a archiveFlags
	var to, tmp string
	fs := newFlagSet("backup", "", stderr)
	a.register(fs)
	fs.StringVar(&to, "to", "", "where the archive goes: an empty or new directory, or s3://bucket/prefix?region=…&endpoint=…&path-style=true")
	fs.StringVar(&tmp, "temp-dir", "", "directory for table files while they are written (default: the system's)")
	if _, err := parseArgs(fs, args, 0); err != nil {
		return err
	}
	opts := backup.Options{InkformVersion: build().String(), TempDir: tmp}
	if a.withKeys {
		var err error
		if opts.Passphrase, err = a.passphrase(); err != nil {
			return err
		}
		// secretKey makes a key file when there is none, which would
		// seal a key that never encrypted anything.
		if a.store.SecretKey == "" {
			if _, err := os.Stat(filepath.Join(a.store.Data, "secret.key")); err != nil {
				return fmt.Errorf("--with-keys: no secret key: set %s as on the nodes, or --data to the directory holding secret.key (%v)", envName("secret-key"), err)
			}
		}
		if opts.SecretKey, err = a.store.secretKey(); err != nil {
			return err
		}
	}
	db, err := a.openDatabase(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	if opts.Blobs, err = a.blob.open(ctx, a.store.Data); err != nil {
		return err
	}
	if opts.Archive, err = openArchive(ctx, to); err != nil {
		return err
	}
	opts.Database = db
	m, err := backup.Create(ctx, opts)
	if err != nil {
		return describe(err)
	}
	var rows, left int64
	for _, t := range m.Tables {
		rows, left = rows+t.Rows, left+t.LeftOut
	}
	fmt.Fprintf(stderr, "backup of %s schema %d written to %s: %d tables, %d rows, %d objects, keys: %v\n",
		m.SourceEngine, m.SchemaVersion, to, len(m.Tables), rows, len(m.Objects), m.Keys != nil)
	if left > 0 {
		fmt.Fprintf(stderr, "%d render records were left out: their PDFs were replaced or purged during the backup (a restored system renders them again)\n", left)
	}
	return nil
}

func runRestore(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var a archiveFlags
	var from string
	var check bool
	fs := newFlagSet("restore", "", stderr)
	a.register(fs)
	fs.StringVar(&from, "from", "", "the archive: a directory or s3://bucket/prefix?…")
	fs.BoolVar(&check, "check", false, "only verify the archive (manifest, sizes, checksums, rows, and the passphrase with --with-keys); write nothing")
	if _, err := parseArgs(fs, args, 0); err != nil {
		return err
	}
	archive, err := openArchive(ctx, from)
	if err != nil {
		return err
	}
	var pass []byte
	if a.withKeys {
		if pass, err = a.passphrase(); err != nil {
			return err
		}
	}
	if check {
		return checkArchive(ctx, archive, a.withKeys, pass, stderr)
	}
	db, err := a.openDatabase(ctx, false)
	if err != nil {
		return err
	}
	defer db.Close()
	blobs, err := a.blob.open(ctx, a.store.Data)
	if err != nil {
		return err
	}
	opts := backup.RestoreOptions{Archive: archive, Database: db, Blobs: blobs, WithKeys: a.withKeys, Passphrase: pass}
	if a.withKeys {
		// The key is checked against the target's before anything is
		// written: a target that already has another key could not
		// read the restored secrets.
		m, err := backup.ReadManifest(ctx, archive)
		if err != nil {
			return describe(err)
		}
		key, err := backup.OpenKeys(ctx, archive, m, pass)
		if err != nil {
			return describe(err)
		}
		if err := a.store.acceptKey(key); err != nil {
			return err
		}
	}
	res, err := backup.Restore(ctx, opts)
	if err != nil {
		return describe(err)
	}
	if res.SecretKey != nil {
		if err := a.store.writeKey(res.SecretKey); err != nil {
			return err
		}
		if a.store.SecretKey == "" {
			fmt.Fprintf(stderr, "the archive's secret key is in %s: give every node of this system that key (%s)\n",
				filepath.Join(a.store.Data, "secret.key"), envName("secret-key"))
		}
	}
	m := res.Manifest
	fmt.Fprintf(stderr, "restored %s schema %d (inkform %s, %s) into %s: %d tables, %d objects\n",
		m.SourceEngine, m.SchemaVersion, m.InkformVersion, m.CreatedAt.Format("2006-01-02 15:04:05Z"), db.Dialect(), len(m.Tables), len(m.Objects))
	if res.SecretKey == nil {
		fmt.Fprintln(stderr, "restored without keys: subscription secrets (webhook signing keys) were sealed with the source's key; re-create those subscriptions or restore --with-keys")
	}
	return nil
}

func checkArchive(ctx context.Context, archive inkform.BlobStore, withKeys bool, pass []byte, stderr io.Writer) error {
	m, err := backup.ReadManifest(ctx, archive)
	if err != nil {
		return describe(err)
	}
	if withKeys {
		if _, err := backup.OpenKeys(ctx, archive, m, pass); err != nil {
			return describe(err)
		}
	}
	if err := backup.Verify(ctx, archive, m); err != nil {
		return describe(err)
	}
	fmt.Fprintf(stderr, "archive is sound: %s schema %d, %d tables, %d objects, keys: %v\n", m.SourceEngine, m.SchemaVersion, len(m.Tables), len(m.Objects), m.Keys != nil)
	return nil
}

// acceptKey refuses a restored key that differs from a key the target
// has already (--secret-key, INKFORM_SECRET_KEY or the key file).
func (c *storeConfig) acceptKey(key []byte) error {
	var have []byte
	if c.SecretKey != "" {
		have, _ = base64.StdEncoding.DecodeString(strings.TrimSpace(c.SecretKey))
	} else if data, err := os.ReadFile(filepath.Join(c.Data, "secret.key")); err == nil {
		have, _ = base64.StdEncoding.DecodeString(strings.TrimSpace(string(data)))
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if have != nil && subtle.ConstantTimeCompare(have, key) != 1 {
		return fmt.Errorf("the archive's secret key differs from this system's (--secret-key, %s or %s): remove that key, or set it to the archive's", envName("secret-key"), filepath.Join(c.Data, "secret.key"))
	}
	return nil
}

// writeKey stores a restored key in the key file unless the key is given
// by flag or variable (acceptKey made sure it is the same).
func (c *storeConfig) writeKey(key []byte) error {
	if c.SecretKey != "" {
		return nil
	}
	path := filepath.Join(c.Data, "secret.key")
	if data, err := os.ReadFile(path); err == nil {
		if have, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(string(data))); bytes.Equal(have, key) {
			return nil
		}
	}
	if err := os.MkdirAll(c.Data, 0o750); err != nil {
		return err
	}
	data := base64.StdEncoding.EncodeToString(key) + "\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		return fmt.Errorf("write the restored key: %w", err)
	}
	return nil
}
