package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/inkform/inkform"
)

// Dir is an archive in a directory of plain files (manifest.json, db/*.jsonl,
// objects/…), readable with ordinary tools; unlike blob.Disk it keeps no
// header in the files and no content types (the manifest has those). It
// implements inkform.BlobStore, so the code that writes S3 archives writes
// directories too.
type Dir struct{ root string }

// NewDir returns the archive directory root, creating it.
func NewDir(root string) (*Dir, error) {
	if err := os.MkdirAll(root, 0o750); err != nil {
		return nil, fmt.Errorf("archive directory: %w", err)
	}
	return &Dir{root: root}, nil
}

func (d *Dir) path(key string) (string, error) {
	if err := inkform.ValidateBlobKey(key); err != nil {
		return "", err
	}
	return filepath.Join(d.root, filepath.FromSlash(key)), nil
}

// Put implements inkform.BlobStore: a temporary file renamed into place.
func (d *Dir) Put(ctx context.Context, key string, r io.Reader, size int64, _ string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".part-*")
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	defer os.Remove(f.Name())
	n, err := io.Copy(f, r)
	if cerr := f.Sync(); err == nil {
		err = cerr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("archive: write %s: %w", key, err)
	}
	if size >= 0 && n != size {
		return inkform.Errorf(inkform.EINVALID, "archive: %s: got %d bytes, expected %d", key, n, size)
	}
	return os.Rename(f.Name(), p)
}

// Get implements inkform.BlobStore.
func (d *Dir) Get(_ context.Context, key string) (io.ReadCloser, *inkform.BlobInfo, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, inkform.Errorf(inkform.ENOTFOUND, "archive has no %s", key)
	} else if err != nil {
		return nil, nil, fmt.Errorf("archive: %w", err)
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, inkform.Errorf(inkform.ENOTFOUND, "archive has no file %s", key)
	}
	return f, &inkform.BlobInfo{Key: key, Size: st.Size(), ModTime: st.ModTime()}, nil
}

// Stat implements inkform.BlobStore.
func (d *Dir) Stat(ctx context.Context, key string) (*inkform.BlobInfo, error) {
	rc, info, err := d.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	rc.Close()
	return info, nil
}

// Delete implements inkform.BlobStore.
func (d *Dir) Delete(_ context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("archive: %w", err)
	}
	return nil
}

// List implements inkform.BlobStore. Files whose names start with a dot
// (a Put in progress) are not objects.
func (d *Dir) List(ctx context.Context, prefix string, fn func(inkform.BlobInfo) error) error {
	var all []inkform.BlobInfo
	err := filepath.WalkDir(d.root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(e.Name(), ".") && p != d.root {
			if e.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !e.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(d.root, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if !strings.HasPrefix(key, prefix) {
			return nil
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		all = append(all, inkform.BlobInfo{Key: key, Size: info.Size(), ModTime: info.ModTime()})
		return nil
	})
	if err != nil {
		return fmt.Errorf("archive: list: %w", err)
	}
	slices.SortFunc(all, func(a, b inkform.BlobInfo) int { return strings.Compare(a.Key, b.Key) })
	for _, b := range all {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(b); err != nil {
			return err
		}
	}
	return nil
}
