package backup

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"os"
	"slices"
	"time"

	"github.com/inkform/inkform"
)

// Options say what a backup reads and where it writes.
type Options struct {
	Database inkform.DatabaseExporter
	Blobs    inkform.BlobStore // the system's objects
	Archive  inkform.BlobStore // where the archive goes; must be empty
	// InkformVersion is recorded in the manifest.
	InkformVersion string
	// SecretKey, when set, is sealed into the archive with Passphrase.
	SecretKey  []byte
	Passphrase []byte
	// TempDir holds table files while they are written; "" is the
	// system's temporary directory.
	TempDir string
	Now     func() time.Time
}

// Create writes an archive of the system: first the database from one
// snapshot, then every object, then the keys if asked for, then the
// manifest. Objects are copied after the snapshot, so an object deleted in
// between (a purged document, a replaced render) is missing: rows of the
// snapshot that name such an object are left out (Table.LeftOut), and the
// restored system renders those PDFs again when asked.
func Create(ctx context.Context, o Options) (*Manifest, error) {
	if err := checkEmptyStore(ctx, o.Archive, "the backup destination"); err != nil {
		return nil, err
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	m := &Manifest{Format: Format, FormatVersion: FormatVersion, InkformVersion: o.InkformVersion,
		SourceEngine: o.Database.Dialect(), CreatedAt: now().UTC()}
	var held []*spooled // tables that name objects, written after the copy
	var order []string  // the snapshot's table order, which a restore follows
	defer func() {
		for _, s := range held {
			s.remove()
		}
	}()
	err := o.Database.ExportSnapshot(ctx, func(s inkform.BackupSnapshot) error {
		m.SchemaVersion = s.SchemaVersion()
		for _, t := range s.Tables() {
			order = append(order, t.Name)
			sp, err := spoolTable(ctx, s, t, o.TempDir)
			if err != nil {
				return err
			}
			if t.BlobKey != "" {
				held = append(held, sp)
				continue
			}
			err = sp.store(ctx, o.Archive, m)
			sp.remove()
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("back up database: %w", err)
	}
	copied, err := copyObjects(ctx, o.Blobs, o.Archive, m)
	if err != nil {
		return nil, err
	}
	for _, sp := range held {
		if err := sp.filter(copied, o.TempDir); err != nil {
			return nil, err
		}
		if err := sp.store(ctx, o.Archive, m); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(m.Tables, func(a, b Table) int {
		return slices.Index(order, a.Name) - slices.Index(order, b.Name)
	})
	if o.SecretKey != nil {
		if err := storeKeys(ctx, o, m); err != nil {
			return nil, err
		}
	}
	data, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return nil, err
	}
	if err := o.Archive.Put(ctx, ManifestKey, bytes.NewReader(data), int64(len(data)), "application/json"); err != nil {
		return nil, fmt.Errorf("write manifest: %w", err)
	}
	return m, nil
}

// checkEmptyStore returns ECONFLICT when the store holds any object.
func checkEmptyStore(ctx context.Context, s inkform.BlobStore, what string) error {
	err := s.List(ctx, "", func(b inkform.BlobInfo) error {
		return inkform.Errorf(inkform.ECONFLICT, "%s is not empty (it holds %s): use a new, empty one", what, b.Key)
	})
	if inkform.ErrorCode(err) == inkform.ECONFLICT {
		return err
	} else if err != nil {
		return fmt.Errorf("list %s: %w", what, err)
	}
	return nil
}

// copyObjects copies every object of src into the archive and returns the
// keys copied. An object listed but gone when read was deleted meanwhile
// and is left out.
func copyObjects(ctx context.Context, src, archive inkform.BlobStore, m *Manifest) (map[string]bool, error) {
	var keys []string
	if err := src.List(ctx, "", func(b inkform.BlobInfo) error { keys = append(keys, b.Key); return nil }); err != nil {
		return nil, fmt.Errorf("list objects: %w", err)
	}
	copied := make(map[string]bool, len(keys))
	for _, key := range keys {
		rc, info, err := src.Get(ctx, key)
		if inkform.ErrorCode(err) == inkform.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("read object %s: %w", key, err)
		}
		obj := Object{Key: key, ContentType: info.ContentType, File: File{Path: objectPrefix + key}}
		h := sha256.New()
		cr := &countingReader{r: io.TeeReader(rc, h)}
		err = archive.Put(ctx, obj.File.Path, cr, info.Size, "")
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("copy object %s: %w", key, err)
		}
		obj.File.Size, obj.File.SHA256 = cr.n, hex.EncodeToString(h.Sum(nil))
		m.Objects = append(m.Objects, obj)
		copied[key] = true
	}
	return copied, nil
}

func storeKeys(ctx context.Context, o Options, m *Manifest) error {
	sealed, k, err := sealKeys(o.SecretKey, o.Passphrase)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(sealed)
	k.File = File{Path: KeysKey, Size: int64(len(sealed)), SHA256: hex.EncodeToString(sum[:])}
	if err := o.Archive.Put(ctx, KeysKey, bytes.NewReader(sealed), int64(len(sealed)), ""); err != nil {
		return fmt.Errorf("write keys: %w", err)
	}
	m.Keys = k
	return nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// hashFile returns the size and SHA-256 of an open file from its start.
func hashFile(f *os.File, h hash.Hash) (int64, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, err
	}
	_, err = f.Seek(0, io.SeekStart)
	return n, err
}
