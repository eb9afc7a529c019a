package blob

import (
	"bytes"
	"context"
	"io"
	"testing"
)

// TestDiskObjectSizes round-trips objects around the size of the copy
// buffer (32 KB with the 256-byte header in front), with the size given
// and unknown, and checks the bytes, the size Stat reports and that a
// wrong announced size is refused.
func TestDiskObjectSizes(t *testing.T) {
	t.Parallel()
	const buf = 32 << 10
	for _, n := range []int{0, 1, buf - headerSize - 1, buf - headerSize, buf - headerSize + 1, buf, 3*buf + 7} {
		for _, known := range []bool{true, false} {
			d, err := NewDisk(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			body := make([]byte, n)
			for i := range body {
				body[i] = byte(i*7 + i/251)
			}
			size := int64(n)
			if !known {
				size = -1
			}
			if err := d.Put(ctx, "k/o", bytes.NewReader(body), size, "application/pdf"); err != nil {
				t.Fatalf("%d bytes (known %v): %v", n, known, err)
			}
			rc, info, err := d.Get(ctx, "k/o")
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || !bytes.Equal(got, body) || info.Size != int64(n) || info.ContentType != "application/pdf" {
				t.Errorf("%d bytes (known %v): read %d bytes equal %v, info %+v, err %v", n, known, len(got), bytes.Equal(got, body), info, err)
			}
			if known {
				if err := d.Put(ctx, "k/short", bytes.NewReader(body), size+1, ""); err == nil {
					t.Errorf("%d bytes announced as %d: no error", n, size+1)
				}
				if n > 0 {
					if err := d.Put(ctx, "k/long", bytes.NewReader(body), size-1, ""); err == nil {
						t.Errorf("%d bytes announced as %d: no error", n, size-1)
					}
				}
			}
		}
	}
}
