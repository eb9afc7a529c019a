package inkform

import (
	"context"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Blob limits.
const (
	MaxBlobKeyLength         = 1024 // bytes, as S3 allows
	MaxBlobSegmentLength     = 255  // bytes between slashes, as file systems allow
	MaxBlobContentTypeLength = 200
)

// DefaultBlobContentType is stored when Put is given no content type.
const DefaultBlobContentType = "application/octet-stream"

// BlobInfo describes a stored object.
type BlobInfo struct {
	Key  string
	Size int64
	// ContentType is empty in List results: S3 listings do not carry it,
	// and every store answers alike. Stat and Get fill it in.
	ContentType string
	ModTime     time.Time
}

// BlobStore keeps objects (filled-form PDFs, cutout images, exports,
// backups) by slash-separated key. Implementations: blob.Disk and blob.S3.
//
// A key must not name an object and, at the same time, a "folder" of other
// keys ("a" and "a/b"): a file system cannot hold both, so a store may refuse
// the second with ECONFLICT.
type BlobStore interface {
	// Put stores the size bytes read from r under key, replacing any
	// object there. It is atomic: readers see the old object or the whole
	// new one, never a part. size < 0 means unknown; otherwise r must yield
	// exactly size bytes (EINVALID, nothing stored). An empty contentType
	// stores DefaultBlobContentType.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	// Get opens an object; the caller closes the reader. ENOTFOUND when
	// the key holds no object.
	Get(ctx context.Context, key string) (io.ReadCloser, *BlobInfo, error)
	// Stat describes an object; ENOTFOUND when the key holds none.
	Stat(ctx context.Context, key string) (*BlobInfo, error)
	// Delete removes an object. A missing object is not an error, so that
	// purges can be retried.
	Delete(ctx context.Context, key string) error
	// List calls fn for every object whose key starts with prefix, in
	// byte order of the keys, and stops at fn's first error, returning it.
	// It serves purge proofs and backups.
	List(ctx context.Context, prefix string, fn func(BlobInfo) error) error
}

// ValidateBlobKey returns EINVALID unless key is a usable object key: 1 to
// MaxBlobKeyLength bytes of UTF-8 without control characters or
// backslashes, segments separated by single slashes, none empty, none longer
// than MaxBlobSegmentLength and none starting with a dot. The last rule excludes "." and ".." (so a key can
// never escape a disk store's directory) and leaves dot-names free for a
// store's own temporary files.
func ValidateBlobKey(key string) error {
	if key == "" {
		return Errorf(EINVALID, "blob key is empty")
	}
	if len(key) > MaxBlobKeyLength {
		return Errorf(EINVALID, "blob key is longer than %d bytes", MaxBlobKeyLength)
	}
	if err := validateBlobChars(key); err != nil {
		return err
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "" {
			return Errorf(EINVALID, "blob key %q has an empty segment (leading, trailing or double slash)", key)
		}
		if seg[0] == '.' {
			return Errorf(EINVALID, "blob key %q has a segment starting with a dot", key)
		}
		if len(seg) > MaxBlobSegmentLength {
			return Errorf(EINVALID, "blob key has a segment longer than %d bytes", MaxBlobSegmentLength)
		}
	}
	return nil
}

// ValidateBlobPrefix returns EINVALID unless prefix can start keys: empty,
// or a string with a key's characters and no leading slash or dot segment.
func ValidateBlobPrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	if len(prefix) > MaxBlobKeyLength {
		return Errorf(EINVALID, "blob prefix is longer than %d bytes", MaxBlobKeyLength)
	}
	if err := validateBlobChars(prefix); err != nil {
		return err
	}
	if prefix[0] == '/' || strings.Contains(prefix, "//") {
		return Errorf(EINVALID, "blob prefix %q has an empty segment", prefix)
	}
	for seg := range strings.SplitSeq(prefix, "/") {
		if seg != "" && seg[0] == '.' {
			return Errorf(EINVALID, "blob prefix %q has a segment starting with a dot", prefix)
		}
	}
	return nil
}

func validateBlobChars(s string) error {
	if !utf8.ValidString(s) {
		return Errorf(EINVALID, "blob key is not valid UTF-8")
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return Errorf(EINVALID, "blob key %q has a control character or backslash", s)
		}
	}
	return nil
}

// ValidateBlobContentType returns EINVALID for a content type that cannot be
// stored as an HTTP header value: longer than MaxBlobContentTypeLength or
// not printable ASCII.
func ValidateBlobContentType(ct string) error {
	if len(ct) > MaxBlobContentTypeLength {
		return Errorf(EINVALID, "content type is longer than %d bytes", MaxBlobContentTypeLength)
	}
	for i := 0; i < len(ct); i++ {
		if ct[i] < 0x20 || ct[i] > 0x7e {
			return Errorf(EINVALID, "content type %q is not printable ASCII", ct)
		}
	}
	return nil
}
