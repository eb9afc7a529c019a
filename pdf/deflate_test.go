package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"runtime"
	"sync"
	"testing"
)

// TestDeflateKeepsWriters checks that streams compressed at once from many
// goroutines all decompress to their input, and that the zlib writers
// kept for later streams survive a garbage collection (a sync.Pool alone
// would drop them, and a new writer costs about 825 KB). Not parallel: other
// tests' renders would take the kept writers while it counts them.
func TestDeflateKeepsWriters(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Go(func() {
			for i := range 8 {
				data := bytes.Repeat([]byte(fmt.Sprintf("%d %d l\n", g, i)), 500+i*37)
				var dst bytes.Buffer
				dst.WriteString("prefix")
				deflate(&dst, data)
				if got := dst.String()[:6]; got != "prefix" {
					errs <- fmt.Errorf("deflate changed what dst held: %q", got)
					return
				}
				zr, err := zlib.NewReader(bytes.NewReader(dst.Bytes()[6:]))
				if err != nil {
					errs <- err
					return
				}
				back, err := io.ReadAll(zr)
				if err != nil || !bytes.Equal(back, data) {
					errs <- fmt.Errorf("goroutine %d stream %d: %d bytes back, want %d (%v)", g, i, len(back), len(data), err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	runtime.GC()
	runtime.GC()
	if n := len(keptWriters); n == 0 {
		t.Errorf("no zlib writer kept after two collections, want up to %d", cap(keptWriters))
	}
}
