package blob

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// newStoreFunc returns an empty store of its own, cleaned up with t.
type newStoreFunc func(t testing.TB) inkform.BlobStore

// runConformance is the one suite every BlobStore passes.
func runConformance(t *testing.T, newStore newStoreFunc) {
	tests := []struct {
		name string
		run  func(t *testing.T, s inkform.BlobStore)
	}{
		{"RoundTrip", testRoundTrip},
		{"Overwrite", testOverwrite},
		{"Missing", testMissing},
		{"BadKeys", testBadKeys},
		{"SizeMismatch", testSizeMismatch},
		{"List", testList},
		{"ListStops", testListStops},
		{"ConcurrentPuts", testConcurrentPuts},
		{"Large", testLarge},
		{"FolderConflict", testFolderConflict},
		{"Cancelled", testCancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newStore(t))
		})
	}
}

func put(t testing.TB, s inkform.BlobStore, key, body, ct string) {
	t.Helper()
	if err := s.Put(context.Background(), key, strings.NewReader(body), int64(len(body)), ct); err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
}

func get(t testing.TB, s inkform.BlobStore, key string) ([]byte, *inkform.BlobInfo) {
	t.Helper()
	rc, info, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("Get(%q): read: %v", key, err)
	}
	return b, info
}

func wantCode(t testing.TB, what string, err error, code string) {
	t.Helper()
	if got := inkform.ErrorCode(err); got != code {
		t.Fatalf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

func testRoundTrip(t *testing.T, s inkform.BlobStore) {
	ctx := context.Background()
	before := time.Now().Add(-2 * time.Second)
	put(t, s, "docs/1/filled.pdf", "%PDF-1.4 hello", "application/pdf")
	put(t, s, "docs/1/empty", "", "")

	b, info := get(t, s, "docs/1/filled.pdf")
	if string(b) != "%PDF-1.4 hello" {
		t.Errorf("Get body = %q", b)
	}
	want := inkform.BlobInfo{Key: "docs/1/filled.pdf", Size: 14, ContentType: "application/pdf"}
	for name, got := range map[string]*inkform.BlobInfo{"Get": info, "Stat": mustStat(t, s, "docs/1/filled.pdf")} {
		if got.Key != want.Key || got.Size != want.Size || got.ContentType != want.ContentType {
			t.Errorf("%s info = %+v, want %+v", name, got, want)
		}
		if got.ModTime.Before(before) || got.ModTime.After(time.Now().Add(2*time.Second)) {
			t.Errorf("%s ModTime = %v, not about now", name, got.ModTime)
		}
	}
	b, info = get(t, s, "docs/1/empty")
	if len(b) != 0 || info.Size != 0 || info.ContentType != inkform.DefaultBlobContentType {
		t.Errorf("empty object: body %q, info %+v", b, info)
	}
	if err := s.Delete(ctx, "docs/1/filled.pdf"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	_, err := s.Stat(ctx, "docs/1/filled.pdf")
	wantCode(t, "Stat after Delete", err, inkform.ENOTFOUND)
	if _, info := get(t, s, "docs/1/empty"); info.Key != "docs/1/empty" {
		t.Errorf("Delete removed a sibling: %+v", info)
	}
}

func mustStat(t testing.TB, s inkform.BlobStore, key string) *inkform.BlobInfo {
	t.Helper()
	info, err := s.Stat(context.Background(), key)
	if err != nil {
		t.Fatalf("Stat(%q): %v", key, err)
	}
	return info
}

func testOverwrite(t *testing.T, s inkform.BlobStore) {
	put(t, s, "k", "first version, longer", "text/plain")
	put(t, s, "k", "second", "image/png")
	b, info := get(t, s, "k")
	if string(b) != "second" || info.Size != 6 || info.ContentType != "image/png" {
		t.Errorf("after overwrite: body %q, info %+v", b, info)
	}
}

func testMissing(t *testing.T, s inkform.BlobStore) {
	ctx := context.Background()
	_, _, err := s.Get(ctx, "no/such/key")
	wantCode(t, "Get", err, inkform.ENOTFOUND)
	_, err = s.Stat(ctx, "no/such/key")
	wantCode(t, "Stat", err, inkform.ENOTFOUND)
	for range 2 {
		if err := s.Delete(ctx, "no/such/key"); err != nil {
			t.Errorf("Delete of a missing key: %v", err)
		}
	}
	// A "folder" of other keys is not an object.
	put(t, s, "dir/child", "x", "")
	_, err = s.Stat(ctx, "dir")
	wantCode(t, "Stat of a folder", err, inkform.ENOTFOUND)
	if err := s.Delete(ctx, "dir"); err != nil {
		t.Errorf("Delete of a folder: %v", err)
	}
	if b, _ := get(t, s, "dir/child"); string(b) != "x" {
		t.Errorf("Delete of a folder touched its child: %q", b)
	}
}

func testBadKeys(t *testing.T, s inkform.BlobStore) {
	ctx := context.Background()
	for _, key := range []string{
		"", "/abs", "trailing/", "a//b", "../up", "a/../b", "a/..", ".", "a/./b", ".hidden",
		"nul\x00byte", "tab\tkey", "back\\slash", "bad\xffutf8", strings.Repeat("k", 1025),
		"a/" + strings.Repeat("s", 256), // longer than a file name may be
	} {
		err := s.Put(ctx, key, strings.NewReader("x"), 1, "")
		wantCode(t, "Put "+key, err, inkform.EINVALID)
		_, _, err = s.Get(ctx, key)
		wantCode(t, "Get "+key, err, inkform.EINVALID)
		_, err = s.Stat(ctx, key)
		wantCode(t, "Stat "+key, err, inkform.EINVALID)
		wantCode(t, "Delete "+key, s.Delete(ctx, key), inkform.EINVALID)
	}
	// The longest allowed key works.
	long := strings.Repeat("k/", 511) + "kk"
	put(t, s, long, "ok", "")
	if b, _ := get(t, s, long); string(b) != "ok" {
		t.Errorf("1024-byte key: body %q", b)
	}
	for _, prefix := range []string{"/abs", "a//", "../", "x/.tmp", "nul\x00"} {
		err := s.List(ctx, prefix, func(inkform.BlobInfo) error { return nil })
		wantCode(t, "List "+prefix, err, inkform.EINVALID)
	}
	err := s.Put(ctx, "k", strings.NewReader("x"), 1, "text/plain\r\nX-Evil: 1")
	wantCode(t, "Put with a header-breaking content type", err, inkform.EINVALID)
}

func testSizeMismatch(t *testing.T, s inkform.BlobStore) {
	ctx := context.Background()
	put(t, s, "kept", "old", "")
	for _, tc := range []struct {
		body string
		size int64
	}{{"short", 10}, {"longer than announced", 5}} {
		for _, r := range []io.Reader{strings.NewReader(tc.body), io.MultiReader(strings.NewReader(tc.body))} {
			wantCode(t, "Put new key", s.Put(ctx, "fresh", r, tc.size, ""), inkform.EINVALID)
		}
		wantCode(t, "Put over old", s.Put(ctx, "kept", strings.NewReader(tc.body), tc.size, ""), inkform.EINVALID)
	}
	_, err := s.Stat(ctx, "fresh")
	wantCode(t, "Stat after refused Puts", err, inkform.ENOTFOUND)
	if b, _ := get(t, s, "kept"); string(b) != "old" {
		t.Errorf("refused Put changed the object: %q", b)
	}
	// Unknown size takes whatever the reader holds.
	if err := s.Put(ctx, "unknown", io.MultiReader(strings.NewReader("abc")), -1, ""); err != nil {
		t.Fatalf("Put with size -1: %v", err)
	}
	if b, info := get(t, s, "unknown"); string(b) != "abc" || info.Size != 3 {
		t.Errorf("size -1: body %q, info %+v", b, info)
	}
}

func listKeys(t testing.TB, s inkform.BlobStore, prefix string) []string {
	t.Helper()
	var keys []string
	err := s.List(context.Background(), prefix, func(info inkform.BlobInfo) error {
		if info.ContentType != "" {
			t.Errorf("List gave ContentType %q for %s; the contract says empty", info.ContentType, info.Key)
		}
		keys = append(keys, info.Key+":"+string(rune('0'+info.Size)))
		return nil
	})
	if err != nil {
		t.Fatalf("List(%q): %v", prefix, err)
	}
	return keys
}

func testList(t *testing.T, s inkform.BlobStore) {
	for _, k := range []string{"a/b", "a-c", "a/b2/x", "ab", "b/1", "a/a"} {
		put(t, s, k, strings.Repeat("x", len(k)), "text/plain")
	}
	for _, tc := range []struct {
		prefix string
		want   string
	}{
		// Byte order: '-' < '/' < letters, so "a-c" comes before "a/…".
		{"", "a-c:3 a/a:3 a/b:3 a/b2/x:6 ab:2 b/1:3"},
		{"a", "a-c:3 a/a:3 a/b:3 a/b2/x:6 ab:2"},
		{"a/", "a/a:3 a/b:3 a/b2/x:6"},
		{"a/b", "a/b:3 a/b2/x:6"},
		{"a/b2/", "a/b2/x:6"},
		{"b/1", "b/1:3"},
		{"c", ""},
		{"a/b/", ""},
	} {
		if got := strings.Join(listKeys(t, s, tc.prefix), " "); got != tc.want {
			t.Errorf("List(%q) = %q, want %q", tc.prefix, got, tc.want)
		}
	}
}

func testListStops(t *testing.T, s inkform.BlobStore) {
	for _, k := range []string{"p/1", "p/2", "p/3"} {
		put(t, s, k, "x", "")
	}
	stop := errors.New("stop")
	n := 0
	err := s.List(context.Background(), "p/", func(inkform.BlobInfo) error {
		n++
		return stop
	})
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("List with a failing callback: err %v after %d calls, want stop after 1", err, n)
	}
}

func testConcurrentPuts(t *testing.T, s inkform.BlobStore) {
	ctx := context.Background()
	const writers, size = 8, 256 << 10
	put(t, s, "race", string(bytes.Repeat([]byte{'0'}, size)), "")
	var wg sync.WaitGroup
	done := make(chan struct{})
	errs := make(chan error, writers+1)
	for i := range writers {
		wg.Go(func() {
			body := bytes.Repeat([]byte{byte('A' + i)}, size)
			if err := s.Put(ctx, "race", bytes.NewReader(body), size, ""); err != nil {
				errs <- err
			}
		})
	}
	// A reader during the writes must always see one whole object.
	var rg sync.WaitGroup
	rg.Go(func() {
		for {
			select {
			case <-done:
				return
			default:
			}
			rc, _, err := s.Get(ctx, "race")
			if err != nil {
				errs <- err
				return
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err == nil && (len(b) != size || bytes.Count(b, b[:1]) != size) {
				errs <- errors.New("a reader saw a partial or mixed object")
				return
			}
		}
	})
	wg.Wait()
	close(done)
	rg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	b, _ := get(t, s, "race")
	if len(b) != size || b[0] < 'A' || b[0] >= 'A'+writers || bytes.Count(b, b[:1]) != size {
		t.Errorf("after concurrent puts: %d bytes starting %q, want %d bytes of one writer", len(b), b[:min(len(b), 4)], size)
	}
}

func testLarge(t *testing.T, s inkform.BlobStore) {
	ctx := context.Background()
	body := make([]byte, 8<<20)
	rand.Read(body)
	sum := sha256.Sum256(body)
	readers := map[string]io.Reader{
		"seekable":   bytes.NewReader(body),
		"unseekable": io.MultiReader(bytes.NewReader(body)),
	}
	for name, r := range readers {
		if err := s.Put(ctx, "large/"+name, r, int64(len(body)), "application/octet-stream"); err != nil {
			t.Fatalf("Put %s: %v", name, err)
		}
		b, info := get(t, s, "large/"+name)
		if sha256.Sum256(b) != sum || info.Size != int64(len(body)) {
			t.Errorf("%s: got %d bytes (info %d) with another hash", name, len(b), info.Size)
		}
	}
}

func testFolderConflict(t *testing.T, s inkform.BlobStore) {
	ctx := context.Background()
	put(t, s, "f", "file", "")
	err := s.Put(ctx, "f/child", strings.NewReader("c"), 1, "")
	switch inkform.ErrorCode(err) {
	case "":
		if b, _ := get(t, s, "f/child"); string(b) != "c" {
			t.Errorf("f/child = %q", b)
		}
	case inkform.ECONFLICT:
	default:
		t.Fatalf("Put under an object: %v, want nil or ECONFLICT", err)
	}
	if b, _ := get(t, s, "f"); string(b) != "file" {
		t.Errorf("object f changed to %q", b)
	}
	put(t, s, "g/child", "c", "")
	err = s.Put(ctx, "g", strings.NewReader("g"), 1, "")
	if code := inkform.ErrorCode(err); code != "" && code != inkform.ECONFLICT {
		t.Fatalf("Put over a folder: %v, want nil or ECONFLICT", err)
	}
	if b, _ := get(t, s, "g/child"); string(b) != "c" {
		t.Errorf("g/child changed to %q", b)
	}
}

func testCancelled(t *testing.T, s inkform.BlobStore) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Put(ctx, "cancelled", io.MultiReader(strings.NewReader("abc")), 3, ""); err == nil {
		t.Fatal("Put with a cancelled context succeeded")
	}
	_, err := s.Stat(context.Background(), "cancelled")
	wantCode(t, "Stat after a cancelled Put", err, inkform.ENOTFOUND)
}
