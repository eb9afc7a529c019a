package blob

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/inkform/inkform"
)

// Get implements inkform.BlobStore.
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, *inkform.BlobInfo, error) {
	if err := inkform.ValidateBlobKey(key); err != nil {
		return nil, nil, err
	}
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &s.bucket, Key: aws.String(s.prefix + key)})
	if err != nil {
		return nil, nil, s.readError(ctx, "get", key, err)
	}
	info := &inkform.BlobInfo{
		Key:         key,
		Size:        aws.ToInt64(out.ContentLength),
		ContentType: aws.ToString(out.ContentType),
		ModTime:     aws.ToTime(out.LastModified).UTC(),
	}
	return out.Body, info, nil
}

// Stat implements inkform.BlobStore.
func (s *S3) Stat(ctx context.Context, key string) (*inkform.BlobInfo, error) {
	if err := inkform.ValidateBlobKey(key); err != nil {
		return nil, err
	}
	out, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &s.bucket, Key: aws.String(s.prefix + key)})
	if err != nil {
		return nil, s.readError(ctx, "stat", key, err)
	}
	return &inkform.BlobInfo{
		Key:         key,
		Size:        aws.ToInt64(out.ContentLength),
		ContentType: aws.ToString(out.ContentType),
		ModTime:     aws.ToTime(out.LastModified).UTC(),
	}, nil
}

// readError turns "no such key" into ENOTFOUND. A HEAD answer has no body,
// so a missing bucket looks like a missing key; purge proofs rely on
// ENOTFOUND meaning "the object is gone", so the bucket is checked before
// saying so.
func (s *S3) readError(ctx context.Context, op, key string, err error) error {
	if !isNotFound(err) {
		return fmt.Errorf("blob: s3 %s %s: %w", op, key, err)
	}
	if perr := s.Ping(ctx); perr != nil {
		return perr
	}
	return inkform.Errorf(inkform.ENOTFOUND, "no object %q", key)
}

// Delete implements inkform.BlobStore. S3 answers a delete of a missing key
// with success, which is the contract.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := inkform.ValidateBlobKey(key); err != nil {
		return err
	}
	_, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &s.bucket, Key: aws.String(s.prefix + key)})
	if err != nil {
		return fmt.Errorf("blob: s3 delete %s: %w", key, err)
	}
	return nil
}

// List implements inkform.BlobStore with ListObjectsV2, which returns keys in
// byte order, 1,000 a page. ContentType is left empty: listings lack it.
func (s *S3) List(ctx context.Context, prefix string, fn func(inkform.BlobInfo) error) error {
	if err := inkform.ValidateBlobPrefix(prefix); err != nil {
		return err
	}
	p := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{
		Bucket: &s.bucket,
		Prefix: aws.String(s.prefix + prefix),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("blob: s3 list %s: %w", prefix, err)
		}
		for _, o := range page.Contents {
			key, ok := strings.CutPrefix(aws.ToString(o.Key), s.prefix)
			if !ok || inkform.ValidateBlobKey(key) != nil {
				// Objects written by other tools with keys we would
				// refuse are not ours to report.
				continue
			}
			info := inkform.BlobInfo{Key: key, Size: aws.ToInt64(o.Size), ModTime: aws.ToTime(o.LastModified).UTC()}
			if err := fn(info); err != nil {
				return err
			}
		}
	}
	return nil
}
