package blob

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"syscall"
	"testing"

	"github.com/inkform/inkform"
)

// Benchmarks of Put and Get throughput on both stores, for cutout-sized
// (10 KB) and PDF-sized (1 MB) objects. Run:
//
//	go test -run '^$' -bench . -benchtime 2s ./blob/
//
// with the INKFORM_TEST_S3_* variables set to include S3.
func BenchmarkPut(b *testing.B) {
	benchStores(b, func(b *testing.B, s inkform.BlobStore, body []byte) {
		ctx := context.Background()
		i := 0
		for b.Loop() {
			// Keys cycle so the directory stays small, as in real use.
			key := fmt.Sprintf("bench/%03d", i%256)
			if err := s.Put(ctx, key, bytes.NewReader(body), int64(len(body)), "application/octet-stream"); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

func BenchmarkGet(b *testing.B) {
	benchStores(b, func(b *testing.B, s inkform.BlobStore, body []byte) {
		ctx := context.Background()
		for i := range 16 {
			if err := s.Put(ctx, fmt.Sprintf("bench/%02d", i), bytes.NewReader(body), int64(len(body)), ""); err != nil {
				b.Fatal(err)
			}
		}
		i := 0
		for b.Loop() {
			rc, _, err := s.Get(ctx, fmt.Sprintf("bench/%02d", i%16))
			if err != nil {
				b.Fatal(err)
			}
			n, err := io.Copy(io.Discard, rc)
			rc.Close()
			if err != nil || n != int64(len(body)) {
				b.Fatalf("read %d bytes: %v", n, err)
			}
			i++
		}
	})
}

func benchStores(b *testing.B, run func(b *testing.B, s inkform.BlobStore, body []byte)) {
	for _, st := range []struct {
		name string
		new  newStoreFunc
	}{{"disk", newDisk}, {"s3", newS3}} {
		for _, size := range []int{10 << 10, 1 << 20} {
			b.Run(fmt.Sprintf("%s/%dKB", st.name, size>>10), func(b *testing.B) {
				s := st.new(b)
				body := bytes.Repeat([]byte("inkform!"), size/8)
				b.SetBytes(int64(size))
				run(b, s, body)
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "objects/s")
			})
		}
	}
}

// BenchmarkPutNewFolder stores a 10 KB object into a new folder below a
// shared one, as the render worker stores each new document's PDF: the
// folders' creation and syncs are part of the cost; cpu-µs/op is the
// process's user and system time per Put (the kernel's work for the
// folders and syncs included). Disk only. "pdf-folder" is the key layout
// before the ninth round of issue 13 (orgs/O/documents/D/pdf/…, two new
// folders per document), "flat" today's (orgs/O/documents/D/pdf-…, one).
// What a new inode costs depends on the file system and on where the
// folder lies (on the development VMs' journal-less ext4, from 15 µs to
// 0.85 ms of kernel CPU), so run it with a fixed count, in the same place,
// one layout at a time in turn:
//
//	go test -run '^$' -bench 'PutNewFolder/flat$' -benchtime 3000x ./blob/
func BenchmarkPutNewFolder(b *testing.B) {
	for _, layout := range []struct{ name, key string }{
		{"pdf-folder", "orgs/o1/documents/d%06d/pdf/1-abc.pdf"},
		{"flat", "orgs/o1/documents/d%06d/pdf-1-abc.pdf"},
	} {
		b.Run(layout.name, func(b *testing.B) {
			s := newDisk(b)
			ctx := context.Background()
			body := bytes.Repeat([]byte("inkform!"), 10<<10/8)
			i := 0
			var ru0 syscall.Rusage
			syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
			for b.Loop() {
				if err := s.Put(ctx, fmt.Sprintf(layout.key, i), bytes.NewReader(body), int64(len(body)), "application/pdf"); err != nil {
					b.Fatal(err)
				}
				i++
			}
			var ru syscall.Rusage
			syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
			cpu := ru.Utime.Nano() + ru.Stime.Nano() - ru0.Utime.Nano() - ru0.Stime.Nano()
			b.ReportMetric(float64(cpu)/1e3/float64(b.N), "cpu-µs/op")
		})
	}
}
