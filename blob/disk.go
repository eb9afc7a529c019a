// Package blob stores objects for inkform: on a local disk (Disk) or in an
// S3-compatible object store (S3). Both implement inkform.BlobStore and pass
// the same conformance suite.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/inkform/inkform"
)

// Disk keeps objects as files under a directory, one file per key at the
// key's path. Each file starts with a fixed-size header holding the content
// type, so that data and type are replaced together by one rename.
//
// Put writes a temporary file beside the target, syncs it, renames it over
// the target and syncs the directory: after a crash a key holds the old or
// the new object, never a part. Concurrent writers of one key each rename
// their own whole file; the last rename wins. A folder made for a key is
// synced into its parent once; later Puts into it skip that (see
// durableDirs).
type Disk struct {
	// Dir is the root directory; it holds nothing but objects and, while
	// writes are running or after a crash, dot-named temporary files.
	Dir string

	dirs durableDirs // see disk_dirs.go
	// synced, when set (tests), hears of every folder Put syncs.
	synced func(dir string)
}

var _ inkform.BlobStore = (*Disk)(nil)

// NewDisk returns a Disk store rooted at dir, creating the directory.
func NewDisk(dir string) (*Disk, error) {
	if dir == "" {
		return nil, inkform.Errorf(inkform.EINVALID, "blob: disk directory is empty")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("blob: disk directory: %w", err)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return nil, fmt.Errorf("blob: create disk directory: %w", err)
	}
	return &Disk{Dir: abs}, nil
}

// path maps a validated key to its file; validation guarantees it stays
// under Dir.
func (d *Disk) path(key string) string {
	return filepath.Join(d.Dir, filepath.FromSlash(key))
}

// Put implements inkform.BlobStore.
func (d *Disk) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := inkform.ValidateBlobKey(key); err != nil {
		return err
	}
	if err := inkform.ValidateBlobContentType(contentType); err != nil {
		return err
	}
	if contentType == "" {
		contentType = inkform.DefaultBlobContentType
	}
	target := d.path(key)
	// A concurrent Delete may remove the (empty) parent directory between
	// our mkdir and our create; trying again settles the race (a few
	// times: Deletes emptying the same folders in a loop can win twice).
	var err error
	for range 8 {
		err = d.put(ctx, target, r, size, contentType)
		if !errors.Is(err, errParentGone) {
			break
		}
	}
	if errors.Is(err, errParentGone) {
		return fmt.Errorf("blob: put %s: parent directory keeps vanishing", key)
	}
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) || errors.Is(err, syscall.EIO) || errors.Is(err, syscall.EROFS) {
		// The disk, not the request, is at fault: the caller may try again
		// once an operator has made room.
		return inkform.Unavailable(err, "the object store cannot write at the moment; try again later", diskFullRetry)
	}
	return err
}

// diskFullRetry is the Retry-After of a full or failing disk: an operator
// has to act, so callers should not hammer it.
const diskFullRetry = 30 * time.Second

var errParentGone = errors.New("parent directory removed")

func (d *Disk) put(ctx context.Context, target string, r io.Reader, size int64, contentType string) error {
	dir := filepath.Dir(target)
	fresh, err := d.makeDirs(dir)
	if err != nil {
		return err
	}
	// (A key that names a folder of other keys fails at the rename:
	// os.Rename looks at the target first.)
	f, err := os.CreateTemp(dir, ".tmp-*")
	if errors.Is(err, fs.ErrNotExist) {
		d.dirs.forgetChain(d.Dir, dir)
		return errParentGone
	} else if err != nil {
		return fmt.Errorf("blob: create temporary file: %w", err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if len(fresh) == 0 && !d.dirs.known(dir) {
		// The folder was known durable when we looked, but a Delete has
		// emptied and removed it since and someone made it again: our
		// temporary file now keeps this one, whose entry we must sync.
		if fresh, err = d.makeDirs(dir); err != nil {
			return err
		}
	}
	if err := writeObject(ctx, f, r, size, contentType); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("blob: sync: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("blob: close: %w", err)
	}
	if err := os.Rename(tmp, target); err != nil {
		if errors.Is(err, syscall.EISDIR) || errors.Is(err, syscall.EEXIST) || errors.Is(err, syscall.ENOTEMPTY) {
			return inkform.Errorf(inkform.ECONFLICT, "blob key names a folder of other keys")
		}
		return fmt.Errorf("blob: rename: %w", err)
	}
	ok = true
	// The new name, then the entries of the folders made for it, deepest
	// first. They are synced only now, after the file, so that a
	// journalling file system commits the folders with the file's own
	// sync and these syncs find little or nothing left to write.
	if err := d.syncDir(dir); err != nil {
		return err
	}
	for _, p := range fresh {
		if err := d.syncDir(filepath.Dir(p)); err != nil {
			return err
		}
	}
	for _, p := range fresh {
		d.dirs.add(p)
	}
	return nil
}

// makeDirs makes sure dir and its parents up to the root exist, and
// returns those of them whose entries in their parents are not known to be
// durable, deepest first: the ones it made and the ones it found but that
// this store has not synced (another writer may have made one a moment
// ago and not synced it yet, or a process that crashed). The caller syncs
// their parents and then adds them to d.dirs. A folder in d.dirs and its
// parents are neither looked at nor synced again.
func (d *Disk) makeDirs(dir string) ([]string, error) {
	var fresh []string
	for p := dir; p != d.Dir && !d.dirs.known(p); p = filepath.Dir(p) {
		if len(p) <= len(d.Dir) {
			return nil, fmt.Errorf("blob: %s is outside the root directory", dir)
		}
		fresh = append(fresh, p)
	}
	for i := len(fresh) - 1; i >= 0; i-- {
		p := fresh[i]
		err := os.Mkdir(p, 0o750)
		switch {
		case err == nil:
		case errors.Is(err, fs.ErrExist):
			fi, err := os.Stat(p)
			if errors.Is(err, fs.ErrNotExist) {
				return nil, errParentGone
			} else if err != nil {
				return nil, fmt.Errorf("blob: stat folder: %w", err)
			} else if !fi.IsDir() {
				return nil, inkform.Errorf(inkform.ECONFLICT, "a folder of the blob key is an object")
			}
		case errors.Is(err, syscall.ENOTDIR):
			return nil, inkform.Errorf(inkform.ECONFLICT, "a folder of the blob key is an object")
		case errors.Is(err, fs.ErrNotExist):
			if _, err := os.Stat(d.Dir); err != nil {
				return nil, fmt.Errorf("blob: root directory %s is missing", d.Dir)
			}
			// A Delete removed a parent we knew or had just made.
			d.dirs.forgetChain(d.Dir, p)
			return nil, errParentGone
		default:
			return nil, fmt.Errorf("blob: mkdir: %w", err)
		}
	}
	return fresh, nil
}

// syncDir syncs a folder for Put, telling d.synced.
func (d *Disk) syncDir(dir string) error {
	if d.synced != nil {
		d.synced(dir)
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("blob: open directory: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("blob: sync directory: %w", err)
	}
	return nil
}

// Get implements inkform.BlobStore.
func (d *Disk) Get(ctx context.Context, key string) (io.ReadCloser, *inkform.BlobInfo, error) {
	if err := inkform.ValidateBlobKey(key); err != nil {
		return nil, nil, err
	}
	f, err := os.Open(d.path(key))
	if err != nil {
		return nil, nil, notFound(key, err)
	}
	info, err := readInfo(f, key)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, info, nil
}

// Stat implements inkform.BlobStore.
func (d *Disk) Stat(ctx context.Context, key string) (*inkform.BlobInfo, error) {
	if err := inkform.ValidateBlobKey(key); err != nil {
		return nil, err
	}
	f, err := os.Open(d.path(key))
	if err != nil {
		return nil, notFound(key, err)
	}
	defer f.Close()
	return readInfo(f, key)
}

// readInfo reads the header of an open object file and leaves f at the
// start of the data.
func readInfo(f *os.File, key string) (*inkform.BlobInfo, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("blob: stat: %w", err)
	}
	if fi.IsDir() {
		return nil, inkform.Errorf(inkform.ENOTFOUND, "no object %q", key)
	}
	ct, err := readHeader(f)
	if err != nil {
		return nil, fmt.Errorf("blob: %s: %w", key, err)
	}
	return &inkform.BlobInfo{Key: key, Size: fi.Size() - headerSize, ContentType: ct, ModTime: fi.ModTime().UTC()}, nil
}

func notFound(key string, err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return inkform.Errorf(inkform.ENOTFOUND, "no object %q", key)
	}
	return fmt.Errorf("blob: open: %w", err)
}

// Delete implements inkform.BlobStore. Emptied folders are removed too, so
// that a purged document leaves no trace in the directory tree.
func (d *Disk) Delete(ctx context.Context, key string) error {
	if err := inkform.ValidateBlobKey(key); err != nil {
		return err
	}
	p := d.path(key)
	if fi, err := os.Lstat(p); err == nil && fi.IsDir() {
		return nil // a folder of other keys, not an object
	}
	err := os.Remove(p)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return nil
	} else if err != nil {
		return fmt.Errorf("blob: delete: %w", err)
	}
	dir := filepath.Dir(p)
	if err := syncDir(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		// (A concurrent Delete may have removed the emptied folder
		// already, and the object's entry with it.)
		return err
	}
	// Best effort: a folder that a concurrent Put has just filled again
	// fails to be removed, which is what we want.
	for dir != d.Dir && strings.HasPrefix(dir, d.Dir) {
		if os.Remove(dir) != nil {
			break
		}
		d.dirs.forget(dir)
		dir = filepath.Dir(dir)
	}
	return nil
}
