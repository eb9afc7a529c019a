package backup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/inkform/inkform"
)

// RestoreOptions say which archive fills which empty system.
type RestoreOptions struct {
	Archive  inkform.BlobStore
	Database inkform.DatabaseImporter
	Blobs    inkform.BlobStore // the target's object store; must be empty
	// WithKeys asks for the archive's secret key, opened with Passphrase.
	WithKeys   bool
	Passphrase []byte
}

// Restored is what a restore did.
type Restored struct {
	Manifest *Manifest
	// SecretKey is the source's secret key when WithKeys was asked for.
	SecretKey []byte
}

// ReadManifest reads and checks an archive's manifest.
func ReadManifest(ctx context.Context, archive inkform.BlobStore) (*Manifest, error) {
	rc, _, err := archive.Get(ctx, ManifestKey)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		return nil, damaged("there is no %s (not an archive, or a backup that did not finish)", ManifestKey)
	} else if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	defer rc.Close()
	return ParseManifest(rc)
}

// Restore fills an empty system from an archive. It checks everything it
// can before it writes anything: the manifest, the versions, that the
// target database and object store are empty, the passphrase, and every
// file's size and SHA-256 (and every row's shape). Objects are written
// first and removed again if the database import fails, and the import is
// one transaction, so a failed restore leaves the target as it found it.
func Restore(ctx context.Context, o RestoreOptions) (*Restored, error) {
	m, err := ReadManifest(ctx, o.Archive)
	if err != nil {
		return nil, err
	}
	_, latest, err := o.Database.SchemaVersions(ctx)
	if err != nil {
		return nil, fmt.Errorf("target database: %w", err)
	}
	if m.SchemaVersion > latest {
		return nil, inkform.Errorf(inkform.EINVALID, "the archive is of schema version %d and this inkform knows up to %d: restore with inkform %s or newer", m.SchemaVersion, latest, m.InkformVersion)
	}
	if err := o.Database.CheckEmpty(ctx); err != nil {
		return nil, err
	}
	if err := checkEmptyStore(ctx, o.Blobs, "the target object store"); err != nil {
		return nil, err
	}
	res := &Restored{Manifest: m}
	if o.WithKeys {
		if res.SecretKey, err = OpenKeys(ctx, o.Archive, m, o.Passphrase); err != nil {
			return nil, err
		}
	}
	if err := Verify(ctx, o.Archive, m); err != nil {
		return nil, err
	}
	var written []string
	undo := func() {
		// The caller's context may be the one that was cancelled.
		for _, k := range written {
			_ = o.Blobs.Delete(context.WithoutCancel(ctx), k)
		}
	}
	for _, obj := range m.Objects {
		written = append(written, obj.Key) // before: a failed Put may leave a part
		err := withFile(ctx, o.Archive, obj.File, func(r io.Reader) error {
			return o.Blobs.Put(ctx, obj.Key, r, obj.File.Size, obj.ContentType)
		})
		if err != nil {
			undo()
			return nil, fmt.Errorf("restore object %s: %w", obj.Key, err)
		}
	}
	tables := make([]inkform.BackupTable, len(m.Tables))
	for i, t := range m.Tables {
		tables[i] = t.BackupTable
	}
	rows := func(ctx context.Context, t inkform.BackupTable, fn func([]any) error) error {
		for _, mt := range m.Tables {
			if mt.Name == t.Name {
				return tableRows(ctx, o.Archive, mt, fn)
			}
		}
		return damaged("no table %s", t.Name)
	}
	if err := o.Database.ImportSnapshot(ctx, m.SchemaVersion, tables, rows); err != nil {
		undo()
		return nil, fmt.Errorf("restore database: %w", err)
	}
	return res, nil
}

// OpenKeys reads and opens the archive's sealed secret key.
func OpenKeys(ctx context.Context, archive inkform.BlobStore, m *Manifest, passphrase []byte) ([]byte, error) {
	if m.Keys == nil {
		return nil, inkform.Errorf(inkform.EINVALID, "the archive holds no keys: it was made without --with-keys")
	}
	var sealed []byte
	err := withFile(ctx, archive, m.Keys.File, func(r io.Reader) error {
		var err error
		sealed, err = io.ReadAll(io.LimitReader(r, maxKeysBytes))
		return err
	})
	if err != nil {
		return nil, err
	}
	return openKeys(m.Keys, sealed, passphrase)
}

// Verify reads every file of the archive and checks it against the
// manifest: size, SHA-256, and for tables every row's shape and the count.
func Verify(ctx context.Context, archive inkform.BlobStore, m *Manifest) error {
	for _, t := range m.Tables {
		if err := tableRows(ctx, archive, t, func([]any) error { return nil }); err != nil {
			return err
		}
	}
	for _, obj := range m.Objects {
		if err := withFile(ctx, archive, obj.File, func(io.Reader) error { return nil }); err != nil {
			return err
		}
	}
	if m.Keys != nil {
		return withFile(ctx, archive, m.Keys.File, func(io.Reader) error { return nil })
	}
	return nil
}

// tableRows calls fn for each row of a table file, checked as it is read.
func tableRows(ctx context.Context, archive inkform.BlobStore, t Table, fn func([]any) error) error {
	return withFile(ctx, archive, t.File, func(r io.Reader) error {
		n, err := readRows(r, t.Columns, fn)
		var fe *formatError
		if errors.As(err, &fe) {
			return damaged("%s: %v", t.File.Path, fe)
		} else if err != nil {
			return err
		}
		if n != t.Rows {
			return damaged("%s has %d rows, the manifest says %d", t.File.Path, n, t.Rows)
		}
		return nil
	})
}

// withFile opens a file of the archive, hands it to fn, reads what fn left
// and checks the size and checksum against f. fn sees at most f.Size+1
// bytes, so a file that grew is caught without reading all of it.
func withFile(ctx context.Context, archive inkform.BlobStore, f File, fn func(io.Reader) error) error {
	rc, _, err := archive.Get(ctx, f.Path)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		return damaged("%s is missing", f.Path)
	} else if err != nil {
		return fmt.Errorf("read %s: %w", f.Path, err)
	}
	defer rc.Close()
	h := sha256.New()
	cr := &countingReader{r: io.TeeReader(io.LimitReader(rc, f.Size+1), h)}
	ferr := fn(cr)
	if _, err := io.Copy(io.Discard, cr); err != nil {
		return fmt.Errorf("read %s: %w", f.Path, err)
	}
	switch {
	case cr.n != f.Size:
		return damaged("%s is %d bytes, the manifest says %d (truncated or changed)", f.Path, cr.n, f.Size)
	case hex.EncodeToString(h.Sum(nil)) != f.SHA256:
		return damaged("%s does not match its SHA-256 in the manifest", f.Path)
	}
	return ferr
}
