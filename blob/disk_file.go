package blob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/inkform/inkform"
)

// Every object file starts with a header of fixed size: the magic, one
// length byte and the content type, padded with zeros. A fixed size lets
// List compute object sizes from directory entries without opening files.
const (
	headerMagic = "INKBLOB1"
	headerSize  = 256
)

// The content type must fit the header.
var _ = [headerSize - len(headerMagic) - 1 - inkform.MaxBlobContentTypeLength]struct{}{}

// copyBuffers hold an object's header and data on their way to its file:
// io.Copy into an *os.File from a reader it cannot splice allocates 32 KB
// per call, and a small object (a PDF, a cutout) goes in one write.
var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

func writeObject(ctx context.Context, w io.Writer, r io.Reader, size int64, contentType string) error {
	bp := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(bp)
	buf := *bp
	clear(buf[:headerSize])
	copy(buf, headerMagic)
	buf[len(headerMagic)] = byte(len(contentType))
	copy(buf[len(headerMagic)+1:], contentType)
	src := &ctxReader{ctx: ctx, r: r}
	var body io.Reader = src
	if size >= 0 {
		body = io.LimitReader(src, size)
	}
	n, fill := int64(0), headerSize
	for {
		m, err := io.ReadFull(body, buf[fill:])
		fill += m
		n += int64(m)
		if fill > 0 && (err != nil || fill == len(buf)) {
			if _, werr := w.Write(buf[:fill]); werr != nil {
				return fmt.Errorf("blob: write: %w", werr)
			}
			fill = 0
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		} else if err != nil {
			return fmt.Errorf("blob: write: %w", err)
		}
	}
	if size < 0 {
		return nil
	}
	if n != size {
		return inkform.Errorf(inkform.EINVALID, "blob: body has %d bytes, not the %d announced", n, size)
	}
	// One byte more than announced means the caller's size is wrong; a
	// silently truncated object would be worse than an error.
	var one [1]byte
	if m, _ := io.ReadFull(src, one[:]); m > 0 {
		return inkform.Errorf(inkform.EINVALID, "blob: body is longer than the %d bytes announced", size)
	}
	return ctx.Err()
}

func readHeader(r io.Reader) (string, error) {
	var h [headerSize]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return "", fmt.Errorf("read header: %w", err)
	}
	if !bytes.Equal(h[:len(headerMagic)], []byte(headerMagic)) {
		return "", errors.New("not an object file (bad header)")
	}
	n := int(h[len(headerMagic)])
	if n > inkform.MaxBlobContentTypeLength {
		return "", errors.New("not an object file (bad content type length)")
	}
	return string(h[len(headerMagic)+1 : len(headerMagic)+1+n]), nil
}

// ctxReader stops a long copy when the context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// List implements inkform.BlobStore. It walks only the folders the prefix
// can reach and visits entries in key byte order (a folder "a" sorts as
// "a/"), the order S3 lists in. ContentType is left empty.
func (d *Disk) List(ctx context.Context, prefix string, fn func(inkform.BlobInfo) error) error {
	if err := inkform.ValidateBlobPrefix(prefix); err != nil {
		return err
	}
	// Start in the deepest folder the prefix names completely.
	base := ""
	if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
		base = prefix[:i+1]
	}
	return d.walk(ctx, base, prefix, fn)
}

// walk lists the folder holding keys that start with dirKey ("" or ending
// in a slash).
func (d *Disk) walk(ctx context.Context, dirKey, prefix string, fn func(inkform.BlobInfo) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	entries, err := os.ReadDir(filepath.Join(d.Dir, filepath.FromSlash(dirKey)))
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return nil
	} else if err != nil {
		return fmt.Errorf("blob: list: %w", err)
	}
	type entry struct {
		sortKey string
		e       fs.DirEntry
	}
	list := make([]entry, 0, len(entries))
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue // temporary files
		}
		k := dirKey + name
		if e.IsDir() {
			k += "/"
		}
		list = append(list, entry{k, e})
	}
	slices.SortFunc(list, func(a, b entry) int { return strings.Compare(a.sortKey, b.sortKey) })
	for _, it := range list {
		k := it.sortKey
		if it.e.IsDir() {
			// Descend only where keys can still start with the prefix.
			if strings.HasPrefix(k, prefix) || strings.HasPrefix(prefix, k) {
				if err := d.walk(ctx, k, prefix, fn); err != nil {
					return err
				}
			}
			continue
		}
		if !strings.HasPrefix(k, prefix) || !it.e.Type().IsRegular() {
			continue
		}
		fi, err := it.e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted while we listed
		} else if err != nil {
			return fmt.Errorf("blob: list: %w", err)
		}
		if err := fn(inkform.BlobInfo{Key: k, Size: fi.Size() - headerSize, ModTime: fi.ModTime().UTC()}); err != nil {
			return err
		}
	}
	return nil
}

// RemoveTemp deletes temporary files that writers left behind when they
// crashed, if older than age (a running Put's file is younger), and
// returns how many it removed. Run it at startup or now and then.
func (d *Disk) RemoveTemp(ctx context.Context, age time.Duration) (int, error) {
	cutoff := time.Now().Add(-age)
	n := 0
	err := filepath.WalkDir(d.Dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed while we walked
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if e.IsDir() || !strings.HasPrefix(e.Name(), ".tmp-") {
			return nil
		}
		fi, err := e.Info()
		if err != nil || !fi.ModTime().Before(cutoff) {
			return nil
		}
		if err := os.Remove(p); err == nil {
			n++
		}
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("blob: remove temporary files: %w", err)
	}
	return n, nil
}
