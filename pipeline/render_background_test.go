package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// countingBlobs counts the objects read whole.
type countingBlobs struct {
	inkform.BlobStore
	gets atomic.Int64
}

func (c *countingBlobs) Get(ctx context.Context, key string) (io.ReadCloser, *inkform.BlobInfo, error) {
	c.gets.Add(1)
	return c.BlobStore.Get(ctx, key)
}

// TestBackgroundCache checks that a background is read once while it is
// unchanged, read again as soon as it is replaced (same size or not) or
// while it is too young for its time to be trusted, gone when deleted,
// and that the cache holds at most backgroundEntries keys.
func TestBackgroundCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	later := time.Now().Add(time.Hour) // every object is settled by then
	type step struct {
		put      string // stored before the read; "-" deletes
		now      time.Time
		want     string // "" for no background
		wantGets int64  // objects read whole so far
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"unchanged is read once", []step{
			{put: "v1-aaaa", now: later, want: "v1-aaaa", wantGets: 1},
			{now: later, want: "v1-aaaa", wantGets: 1},
			{now: later, want: "v1-aaaa", wantGets: 1},
		}},
		{"replaced with the same size", []step{
			{put: "v1-aaaa", now: later, want: "v1-aaaa", wantGets: 1},
			{put: "v2-bbbb", now: later, want: "v2-bbbb", wantGets: 2},
			{now: later, want: "v2-bbbb", wantGets: 2},
		}},
		{"replaced with another size", []step{
			{put: "v1", now: later, want: "v1", wantGets: 1},
			{put: "v2-longer", now: later, want: "v2-longer", wantGets: 2},
		}},
		{"deleted", []step{
			{put: "v1", now: later, want: "v1", wantGets: 1},
			{put: "-", now: later, want: "", wantGets: 1},
		}},
		{"young object is not trusted", []step{
			{put: "v1", now: time.Now(), want: "v1", wantGets: 1},
			{now: time.Now(), want: "v1", wantGets: 2},
			{now: later, want: "v1", wantGets: 3},
			{now: later, want: "v1", wantGets: 3},
		}},
		{"none", []step{{now: later, want: "", wantGets: 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			blobs := &countingBlobs{BlobStore: newDisk(t)}
			var c backgroundCache
			const key = "org/forms/f1/v1/background.pdf"
			for i, s := range tt.steps {
				switch s.put {
				case "":
				case "-":
					if err := blobs.Delete(ctx, key); err != nil {
						t.Fatal(err)
					}
				default:
					// File times move in steps of a clock tick: a
					// replacement a tick later gets a new one.
					time.Sleep(20 * time.Millisecond)
					if err := blobs.Put(ctx, key, bytes.NewReader([]byte(s.put)), int64(len(s.put)), "application/pdf"); err != nil {
						t.Fatal(err)
					}
				}
				got, err := c.get(ctx, blobs, key, s.now)
				if err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				if string(got) != s.want {
					t.Errorf("step %d: background %q, want %q", i, got, s.want)
				}
				if n := blobs.gets.Load(); n != s.wantGets {
					t.Errorf("step %d: %d objects read, want %d", i, n, s.wantGets)
				}
			}
		})
	}
}

// TestBackgroundCacheBounded checks that the cache keeps at most
// backgroundEntries keys, dropping the oldest.
func TestBackgroundCacheBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	blobs := &countingBlobs{BlobStore: newDisk(t)}
	var c backgroundCache
	later := time.Now().Add(time.Hour)
	key := func(i int) string { return fmt.Sprintf("org/forms/f%d/v1/background.pdf", i) }
	for i := range backgroundEntries + 1 {
		if err := blobs.Put(ctx, key(i), bytes.NewReader([]byte("pdf")), 3, "application/pdf"); err != nil {
			t.Fatal(err)
		}
		if _, err := c.get(ctx, blobs, key(i), later); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(c.entries); n != backgroundEntries {
		t.Errorf("%d entries kept, want %d", n, backgroundEntries)
	}
	before := blobs.gets.Load()
	if _, err := c.get(ctx, blobs, key(backgroundEntries), later); err != nil {
		t.Fatal(err)
	}
	if _, err := c.get(ctx, blobs, key(0), later); err != nil {
		t.Fatal(err)
	}
	if n := blobs.gets.Load() - before; n != 1 {
		t.Errorf("%d objects read again, want 1 (the oldest, dropped)", n)
	}
}
