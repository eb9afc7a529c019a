package blob

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/inkform/inkform"
)

func newDisk(t testing.TB) inkform.BlobStore {
	d, err := NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// newS3 returns a store under a random prefix of the test bucket, creating
// the bucket if needed and emptying the prefix afterwards. It skips when
// INKFORM_TEST_S3_ENDPOINT is unset and fails when the server is set but
// unreachable.
func newS3(t testing.TB) inkform.BlobStore {
	endpoint := os.Getenv("INKFORM_TEST_S3_ENDPOINT")
	if endpoint == "" {
		t.Skip("INKFORM_TEST_S3_ENDPOINT is unset: skipping S3 tests (see .ci/run for a versitygw command)")
	}
	bucket := os.Getenv("INKFORM_TEST_S3_BUCKET")
	if bucket == "" {
		bucket = "inkform-test"
	}
	ctx := context.Background()
	var p [8]byte
	rand.Read(p[:])
	s, err := NewS3(ctx, S3Config{
		Bucket:    bucket,
		Prefix:    "test-" + hex.EncodeToString(p[:]),
		Endpoint:  endpoint,
		PathStyle: true,
		AccessKey: os.Getenv("INKFORM_TEST_S3_ACCESS_KEY"),
		SecretKey: os.Getenv("INKFORM_TEST_S3_SECRET_KEY"),
	})
	if err != nil {
		t.Fatalf("NewS3: %v", err)
	}
	if err := s.Ping(ctx); err != nil {
		_, cerr := s.client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)})
		var owned *types.BucketAlreadyOwnedByYou
		if cerr != nil && !errors.As(cerr, &owned) {
			t.Fatalf("S3 at %s: %v; create bucket: %v", endpoint, err, cerr)
		}
	}
	t.Cleanup(func() {
		var keys []string
		if err := s.List(ctx, "", func(i inkform.BlobInfo) error { keys = append(keys, i.Key); return nil }); err != nil {
			t.Errorf("clean up S3 prefix: %v", err)
		}
		for _, k := range keys {
			if err := s.Delete(ctx, k); err != nil {
				t.Errorf("clean up S3 prefix: %v", err)
			}
		}
	})
	return s
}

func TestDiskConformance(t *testing.T) {
	t.Parallel()
	runConformance(t, newDisk)
}

func TestS3Conformance(t *testing.T) {
	t.Parallel()
	runConformance(t, newS3)
}

// TestDiskLeavesNoTrace checks the disk layout: no temporary files after
// writes, and no empty folders after deletes (a purge leaves nothing).
func TestDiskLeavesNoTrace(t *testing.T) {
	t.Parallel()
	d := newDisk(t).(*Disk)
	ctx := context.Background()
	put(t, d, "org/doc/page1.png", "png", "image/png")
	put(t, d, "org/doc/page1.png", "png2", "image/png")
	if err := d.Put(ctx, "org/doc/bad", strings.NewReader("x"), 2, ""); err == nil {
		t.Fatal("short body accepted")
	}
	var names []string
	filepath.WalkDir(d.Dir, func(p string, e fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(d.Dir, p)
		names = append(names, rel)
		return nil
	})
	if got := strings.Join(names, " "); got != ". org org/doc org/doc/page1.png" {
		t.Errorf("tree after puts = %q", got)
	}
	if err := d.Delete(ctx, "org/doc/page1.png"); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(d.Dir)
	if err != nil || len(entries) != 0 {
		t.Errorf("root after delete holds %v (err %v), want nothing", entries, err)
	}
}

// TestDiskRemoveTemp checks that stale temporary files of crashed writers
// are removed, fresh ones (a running Put) and objects are not.
func TestDiskRemoveTemp(t *testing.T) {
	t.Parallel()
	d := newDisk(t).(*Disk)
	put(t, d, "org/doc/a.pdf", "pdf", "application/pdf")
	stale := filepath.Join(d.Dir, "org", "doc", ".tmp-123")
	fresh := filepath.Join(d.Dir, "org", ".tmp-456")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(stale, old, old)
	n, err := d.RemoveTemp(context.Background(), time.Hour)
	if err != nil || n != 1 {
		t.Fatalf("RemoveTemp = %d, %v; want 1", n, err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("stale temporary file still there: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("fresh temporary file removed: %v", err)
	}
	if b, _ := get(t, d, "org/doc/a.pdf"); string(b) != "pdf" {
		t.Errorf("object changed: %q", b)
	}
}

// TestDiskCorruptFile checks that a file that is not an object gives an
// error, not a wrong answer or ENOTFOUND.
func TestDiskCorruptFile(t *testing.T) {
	t.Parallel()
	d := newDisk(t).(*Disk)
	if err := os.WriteFile(filepath.Join(d.Dir, "stray"), []byte("not an object"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := d.Stat(context.Background(), "stray")
	if err == nil || inkform.ErrorCode(err) != inkform.EINTERNAL {
		t.Errorf("Stat of a stray file: %v, want an internal error", err)
	}
}

func TestNewS3Config(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		cfg  S3Config
		code string
	}{
		{"no bucket", S3Config{Endpoint: "http://127.0.0.1:1"}, inkform.EINVALID},
		{"bad prefix", S3Config{Bucket: "b", Prefix: "a/../b", Endpoint: "http://127.0.0.1:1"}, inkform.EINVALID},
		{"endpoint without region", S3Config{Bucket: "b", Prefix: "/p/", Endpoint: "http://127.0.0.1:1", AccessKey: "k", SecretKey: "s"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, err := NewS3(ctx, tc.cfg)
			wantCode(t, "NewS3", err, tc.code)
			if err == nil && s.prefix != "p/" {
				t.Errorf("prefix = %q, want p/", s.prefix)
			}
		})
	}
}

// TestS3Unreachable checks that a store pointing nowhere fails loudly, and
// never answers ENOTFOUND (which a purge would take as proof of deletion).
func TestS3Unreachable(t *testing.T) {
	t.Parallel()
	s, err := NewS3(context.Background(), S3Config{Bucket: "b", Endpoint: "http://127.0.0.1:1", PathStyle: true, AccessKey: "k", SecretKey: "s"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5e9)
	defer cancel()
	_, err = s.Stat(ctx, "k")
	if err == nil || inkform.ErrorCode(err) == inkform.ENOTFOUND {
		t.Errorf("Stat against a closed port: %v", err)
	}
}

// TestS3MissingBucket checks that a missing bucket is an error, not
// ENOTFOUND: a purge proof must not take a misconfiguration for deletion.
func TestS3MissingBucket(t *testing.T) {
	t.Parallel()
	newS3(t) // skips without a server
	var p [8]byte
	rand.Read(p[:])
	s, err := NewS3(context.Background(), S3Config{
		Bucket:    "inkform-missing-" + hex.EncodeToString(p[:]),
		Endpoint:  os.Getenv("INKFORM_TEST_S3_ENDPOINT"),
		PathStyle: true,
		AccessKey: os.Getenv("INKFORM_TEST_S3_ACCESS_KEY"),
		SecretKey: os.Getenv("INKFORM_TEST_S3_SECRET_KEY"),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, err = s.Stat(ctx, "k")
	if err == nil || inkform.ErrorCode(err) == inkform.ENOTFOUND {
		t.Errorf("Stat in a missing bucket: %v, want an error other than ENOTFOUND", err)
	}
	_, _, err = s.Get(ctx, "k")
	if err == nil || inkform.ErrorCode(err) == inkform.ENOTFOUND {
		t.Errorf("Get in a missing bucket: %v, want an error other than ENOTFOUND", err)
	}
}
