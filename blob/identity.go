package blob

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/inkform/inkform"
)

// idName is where a store keeps its ID: in the root of a disk store, beside
// the prefix of an S3 store. Keys cannot start with a dot, so no object can
// take the name, and List passes over it.
const idName = ".inkform-store-id"

var (
	_ inkform.BlobStoreIdentifier = (*Disk)(nil)
	_ inkform.BlobStoreIdentifier = (*S3)(nil)
)

// newStoreID returns a random ID for a new store.
func newStoreID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// parseStoreID checks what a store's ID file holds, so that a damaged one
// is reported rather than compared.
func parseStoreID(data []byte) (string, error) {
	id := strings.TrimSpace(string(data))
	if raw, err := hex.DecodeString(id); err != nil || len(raw) != 16 {
		return "", fmt.Errorf("blob: the store's ID %q is not 32 hex digits", id)
	}
	return id, nil
}

// BlobStoreID implements inkform.BlobStoreIdentifier. The first call on a
// folder writes the ID file; nodes that share the folder (a network file
// system) read the same file, nodes with folders of their own each make
// their own ID.
func (d *Disk) BlobStoreID(ctx context.Context) (string, string, error) {
	path := filepath.Join(d.Dir, idName)
	desc := "the folder " + d.Dir
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		err = d.writeID(path)
		if err == nil {
			data, err = os.ReadFile(path)
		}
	}
	if err != nil {
		return "", desc, fmt.Errorf("blob: store ID: %w", err)
	}
	id, err := parseStoreID(data)
	return id, desc, err
}

// writeID publishes a new ID file whole with a hard link, which fails when
// the name exists: of two nodes starting at once on a shared folder, one
// writes the ID and both read it.
func (d *Disk) writeID(path string) error {
	f, err := os.CreateTemp(d.Dir, ".tmp-id-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, err = f.WriteString(newStoreID() + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Link(tmp, path); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return syncDir(d.Dir)
}

// BlobStoreID implements inkform.BlobStoreIdentifier with an ID object
// beside the prefix, written with If-None-Match: * so that of two nodes
// starting at once on a new bucket one writes it and both read it. The ID
// is the store's own rather than its URL, so the same bucket reached
// through two endpoints is one store.
func (s *S3) BlobStoreID(ctx context.Context) (string, string, error) {
	key := aws.String(s.prefix + idName)
	id, err := s.readID(ctx, key)
	if err == nil || !isNotFound(err) {
		return id, s.where, err
	}
	_, err = s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: &s.bucket, Key: key, Body: bytes.NewReader([]byte(newStoreID() + "\n")),
		ContentType: aws.String("text/plain"), IfNoneMatch: aws.String("*"),
	})
	var re *awshttp.ResponseError
	if err != nil && !(errors.As(err, &re) && (re.HTTPStatusCode() == http.StatusPreconditionFailed || re.HTTPStatusCode() == http.StatusConflict)) {
		// 412: another node wrote it first; 409: it is writing it now.
		return "", s.where, fmt.Errorf("blob: s3 store ID: %w", err)
	}
	// A 409 means another node's write is still in flight, and some
	// servers (versitygw among them) answer it before the object can be
	// read: wait for it a little rather than fail the node's start.
	for wait := 10 * time.Millisecond; ; wait *= 2 {
		id, err = s.readID(ctx, key)
		if err == nil || !isNotFound(err) || wait > 2*time.Second {
			break
		}
		select {
		case <-ctx.Done():
			return "", s.where, fmt.Errorf("blob: s3 store ID: %w", ctx.Err())
		case <-time.After(wait):
		}
	}
	if err != nil {
		return "", s.where, fmt.Errorf("blob: s3 store ID: %w", err)
	}
	return id, s.where, nil
}

func (s *S3) readID(ctx context.Context, key *string) (string, error) {
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &s.bucket, Key: key})
	if err != nil {
		if isNotFound(err) {
			return "", err
		}
		return "", fmt.Errorf("blob: s3 store ID: %w", err)
	}
	defer out.Body.Close()
	data, err := io.ReadAll(io.LimitReader(out.Body, 256))
	if err != nil {
		return "", fmt.Errorf("blob: s3 store ID: %w", err)
	}
	return parseStoreID(data)
}
