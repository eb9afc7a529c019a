package pipeline

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/inkform/inkform"
)

// Bounds of the render worker's background cache.
const (
	// backgroundEntries is how many form versions' backgrounds are kept.
	backgroundEntries = 32
	// backgroundSettle is how old an object must be before its size and
	// modification time are trusted to name its bytes: S3 gives the time
	// to the second, so a replacement of the same size within the same
	// second would look unchanged. A younger object is read every time.
	backgroundSettle = 2 * time.Second
)

// backgroundCache keeps the bytes of recently used form backgrounds by
// blob key, so that every render of a form's documents costs a Stat of the
// object instead of reading it whole (up to inkform.MaxBackgroundBytes).
// An entry is used only while the object still has the size and
// modification time it had when read, so a new upload is never missed.
// The parsed background is cached by the printer (pdf.BackgroundCache),
// keyed by the bytes' hash. The zero value is ready to use.
type backgroundCache struct {
	mu      sync.Mutex
	entries map[string]*backgroundEntry
	order   []string // keys, least recently added first
}

type backgroundEntry struct {
	size    int64
	modTime time.Time
	data    []byte
}

// get returns the background stored under key, nil when there is none.
func (c *backgroundCache) get(ctx context.Context, blobs inkform.BlobStore, key string, now time.Time) ([]byte, error) {
	info, err := blobs.Stat(ctx, key)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("read background: %w", err)
	}
	c.mu.Lock()
	e := c.entries[key]
	c.mu.Unlock()
	if e != nil && e.size == info.Size && e.modTime.Equal(info.ModTime) {
		return e.data, nil
	}
	rc, info, err := blobs.Get(ctx, key)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("read background: %w", err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, inkform.MaxBackgroundBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read background: %w", err)
	}
	if int64(len(data)) == info.Size && now.Sub(info.ModTime) >= backgroundSettle {
		c.put(key, &backgroundEntry{size: info.Size, modTime: info.ModTime, data: data})
	}
	return data, nil
}

// put stores an entry, dropping the oldest beyond backgroundEntries.
func (c *backgroundCache) put(key string, e *backgroundEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]*backgroundEntry{}
	}
	if _, ok := c.entries[key]; !ok {
		c.order = append(c.order, key)
	}
	c.entries[key] = e
	for len(c.order) > backgroundEntries {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
}
