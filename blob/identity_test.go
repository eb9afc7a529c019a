package blob

import (
	"context"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/inkform/inkform"
)

// identified is a store and a way to open another store on the same
// objects, as a second node would.
type identified interface {
	inkform.BlobStore
	inkform.BlobStoreIdentifier
}

func TestBlobStoreID(t *testing.T) {
	t.Parallel()
	for _, kind := range []struct {
		name   string
		fresh  func(t *testing.T) identified
		reopen func(t *testing.T, s identified) identified
	}{
		{"disk", func(t *testing.T) identified { return newDisk(t).(*Disk) },
			func(t *testing.T, s identified) identified {
				d, err := NewDisk(s.(*Disk).Dir)
				if err != nil {
					t.Fatal(err)
				}
				return d
			}},
		{"s3", func(t *testing.T) identified { return withIDCleanup(t, newS3(t).(*S3)) }, reopenS3},
	} {
		t.Run(kind.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a := kind.fresh(t)
			// Nodes starting at once on a new store agree on one ID.
			ids := make([]string, 6)
			var wg sync.WaitGroup
			for i := range ids {
				wg.Go(func() {
					id, _, err := kind.reopen(t, a).BlobStoreID(ctx)
					if err != nil {
						t.Errorf("store ID: %v", err)
					}
					ids[i] = id
				})
			}
			wg.Wait()
			id, desc, err := a.BlobStoreID(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if raw, err := hex.DecodeString(id); err != nil || len(raw) != 16 {
				t.Errorf("ID %q is not 32 hex digits", id)
			}
			for _, other := range ids {
				if other != id {
					t.Errorf("nodes on one store got IDs %v and %s", ids, id)
					break
				}
			}
			if desc == "" {
				t.Error("no description")
			}
			b := kind.fresh(t)
			if other, _, err := b.BlobStoreID(ctx); err != nil || other == id {
				t.Errorf("another store's ID = %q, %v; want one other than %q", other, err, id)
			}
			// The ID is no object: listings and purges never see it.
			if err := a.List(ctx, "", func(i inkform.BlobInfo) error {
				t.Errorf("List shows %q", i.Key)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestDiskDamagedID(t *testing.T) {
	t.Parallel()
	d := newDisk(t).(*Disk)
	if err := os.WriteFile(filepath.Join(d.Dir, idName), []byte("not an id\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.BlobStoreID(context.Background()); err == nil || !strings.Contains(err.Error(), "not 32 hex digits") {
		t.Errorf("a damaged ID file: %v", err)
	}
}

// reopenS3 opens another client on the same bucket and prefix.
func reopenS3(t *testing.T, s identified) identified {
	t.Helper()
	orig := s.(*S3)
	r, err := NewS3(context.Background(), S3Config{
		Bucket: orig.bucket, Prefix: orig.prefix, Endpoint: os.Getenv("INKFORM_TEST_S3_ENDPOINT"), PathStyle: true,
		AccessKey: os.Getenv("INKFORM_TEST_S3_ACCESS_KEY"), SecretKey: os.Getenv("INKFORM_TEST_S3_SECRET_KEY"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// withIDCleanup deletes the store's ID object after the test, which the
// prefix cleanup of newS3 cannot list.
func withIDCleanup(t *testing.T, s *S3) *S3 {
	t.Cleanup(func() {
		_, err := s.client.DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: &s.bucket, Key: aws.String(s.prefix + idName)})
		if err != nil {
			t.Errorf("delete the store ID: %v", err)
		}
	})
	return s
}
