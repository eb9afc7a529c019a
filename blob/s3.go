package blob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/inkform/inkform"
)

// S3Config says where an S3 store keeps its objects and how it signs in.
type S3Config struct {
	Bucket string
	// Prefix is put before every key (a slash is added between), so that
	// several deployments can share a bucket.
	Prefix string
	// Region defaults to the AWS chain's (AWS_REGION, the profile), and to
	// us-east-1 when Endpoint is set, which S3-compatible servers accept.
	Region string
	// Endpoint is the base URL of an S3-compatible server (versitygw,
	// MinIO); empty means AWS.
	Endpoint string
	// PathStyle puts the bucket in the URL path rather than the host name,
	// as most S3-compatible servers need.
	PathStyle bool
	// AccessKey and SecretKey, when set, replace the AWS credential chain
	// (environment, shared files, SSO, instance and task roles).
	AccessKey string
	SecretKey string
}

// S3 keeps objects in an S3 bucket. PutObject replaces an object
// atomically, which gives Put its guarantee.
type S3 struct {
	client *s3.Client
	bucket string
	prefix string // "" or ending in a slash
	where  string // the bucket and prefix (and endpoint), for messages
}

var _ inkform.BlobStore = (*S3)(nil)

// spoolMemory is the largest body of unknown or unseekable origin that Put
// buffers in memory; larger ones go through a temporary file. Buffering
// lets the SDK sign the payload and retry a failed upload.
const spoolMemory = 16 << 20

// NewS3 returns an S3 store. It does not contact the server; use Ping for
// a readiness check.
func NewS3(ctx context.Context, c S3Config) (*S3, error) {
	if c.Bucket == "" {
		return nil, inkform.Errorf(inkform.EINVALID, "blob: s3 bucket is empty")
	}
	prefix := strings.Trim(c.Prefix, "/")
	if prefix != "" {
		if err := inkform.ValidateBlobKey(prefix); err != nil {
			return nil, fmt.Errorf("blob: s3 prefix: %w", err)
		}
		prefix += "/"
	}
	var opts []func(*config.LoadOptions) error
	if c.Region != "" {
		opts = append(opts, config.WithRegion(c.Region))
	}
	if c.AccessKey != "" || c.SecretKey != "" {
		opts = append(opts, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(c.AccessKey, c.SecretKey, "")))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("blob: load aws config: %w", err)
	}
	if cfg.Region == "" {
		if c.Endpoint == "" {
			return nil, inkform.Errorf(inkform.EINVALID, "blob: s3 region is not set (config or AWS_REGION)")
		}
		cfg.Region = "us-east-1"
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		if c.Endpoint != "" {
			o.BaseEndpoint = aws.String(c.Endpoint)
		}
		o.UsePathStyle = c.PathStyle
	})
	where := "s3://" + c.Bucket + "/" + prefix
	if c.Endpoint != "" {
		where += " at " + c.Endpoint
	}
	return &S3{client: client, bucket: c.Bucket, prefix: prefix, where: where}, nil
}

// Ping checks that the bucket exists and the credentials reach it.
func (s *S3) Ping(ctx context.Context) error {
	if _, err := s.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &s.bucket}); err != nil {
		return fmt.Errorf("blob: s3 bucket %s: %w", s.bucket, err)
	}
	return nil
}

// Put implements inkform.BlobStore.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := inkform.ValidateBlobKey(key); err != nil {
		return err
	}
	if err := inkform.ValidateBlobContentType(contentType); err != nil {
		return err
	}
	if contentType == "" {
		contentType = inkform.DefaultBlobContentType
	}
	body, n, cleanup, err := seekableBody(ctx, r, size)
	if err != nil {
		return err
	}
	defer cleanup()
	_, err = s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        &s.bucket,
		Key:           aws.String(s.prefix + key),
		Body:          body,
		ContentLength: aws.Int64(n),
		ContentType:   &contentType,
	})
	if err != nil {
		var re *awshttp.ResponseError
		if errors.As(err, &re) && re.HTTPStatusCode() == http.StatusConflict {
			// S3-compatible servers on file systems (versitygw) refuse
			// "a/b" under an object "a" this way.
			return inkform.Errorf(inkform.ECONFLICT, "blob key %q clashes with another object", key)
		}
		return fmt.Errorf("blob: s3 put %s: %w", key, err)
	}
	return nil
}

// seekableBody returns r as a seeker holding exactly size bytes (any
// number when size < 0), checking the length before anything is sent: a
// wrong length found by the HTTP client after the upload could leave a
// truncated object behind.
func seekableBody(ctx context.Context, r io.Reader, size int64) (io.ReadSeeker, int64, func(), error) {
	nop := func() {}
	if rs, ok := r.(io.ReadSeeker); ok {
		cur, err := rs.Seek(0, io.SeekCurrent)
		if err == nil {
			end, err := rs.Seek(0, io.SeekEnd)
			if err == nil {
				if _, err := rs.Seek(cur, io.SeekStart); err != nil {
					return nil, 0, nop, fmt.Errorf("blob: seek body: %w", err)
				}
				n := end - cur
				if size >= 0 && n != size {
					return nil, 0, nop, inkform.Errorf(inkform.EINVALID, "blob: body has %d bytes, not the %d announced", n, size)
				}
				return io.NewSectionReader(readerAt{rs}, cur, n), n, nop, nil
			}
		}
	}
	src := &ctxReader{ctx: ctx, r: r}
	if size >= 0 && size <= spoolMemory {
		buf := make([]byte, size+1)
		n, err := io.ReadFull(src, buf)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
			return nil, 0, nop, fmt.Errorf("blob: read body: %w", err)
		}
		if int64(n) != size {
			return nil, 0, nop, inkform.Errorf(inkform.EINVALID, "blob: body does not have the %d bytes announced", size)
		}
		return bytes.NewReader(buf[:n]), size, nop, nil
	}
	f, err := os.CreateTemp("", "inkform-blob-*")
	if err != nil {
		return nil, 0, nop, fmt.Errorf("blob: spool body: %w", err)
	}
	cleanup := func() { f.Close(); os.Remove(f.Name()) }
	limited := io.Reader(src)
	if size >= 0 {
		limited = io.LimitReader(src, size+1)
	}
	n, err := io.Copy(f, limited)
	if err != nil {
		cleanup()
		return nil, 0, nop, fmt.Errorf("blob: spool body: %w", err)
	}
	if size >= 0 && n != size {
		cleanup()
		return nil, 0, nop, inkform.Errorf(inkform.EINVALID, "blob: body does not have the %d bytes announced", size)
	}
	return io.NewSectionReader(f, 0, n), n, cleanup, nil
}

// readerAt serves ReadAt from a ReadSeeker, so a caller's body can be
// wrapped in a SectionReader that the SDK may rewind for retries without
// moving past the caller's end.
type readerAt struct{ rs io.ReadSeeker }

func (r readerAt) ReadAt(p []byte, off int64) (int, error) {
	if ra, ok := r.rs.(io.ReaderAt); ok {
		return ra.ReadAt(p, off)
	}
	if _, err := r.rs.Seek(off, io.SeekStart); err != nil {
		return 0, err
	}
	return io.ReadFull(r.rs, p)
}

// isNotFound reports whether err says the key (or bucket) has no object.
func isNotFound(err error) bool {
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	if errors.As(err, &nsk) || errors.As(err, &nf) {
		return true
	}
	var ae smithy.APIError
	return errors.As(err, &ae) && (ae.ErrorCode() == "NoSuchKey" || ae.ErrorCode() == "NotFound")
}
