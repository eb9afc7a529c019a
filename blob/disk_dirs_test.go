package blob

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/inkform/inkform"
)

// TestDiskKnownFolders checks the Disk's set of durable folders: a Put
// adds the folders of its key, a Delete that removes a folder forgets it,
// and a folder removed behind the store's back (another process) is made
// again by the next Put into it instead of failing.
func TestDiskKnownFolders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name string
		// between runs after the first Put of "a/b/c/x"
		between func(t *testing.T, d *Disk)
		// known lists the folders the set must hold at the end
		known, unknown []string
	}{
		{
			name:    "second put into the folder",
			between: func(t *testing.T, d *Disk) {},
			known:   []string{"a", "a/b", "a/b/c"},
		},
		{
			name: "folders removed by Delete",
			between: func(t *testing.T, d *Disk) {
				if err := d.Delete(ctx, "a/b/c/x"); err != nil {
					t.Fatal(err)
				}
				for _, k := range []string{"a", "a/b", "a/b/c"} {
					if d.dirs.known(filepath.Join(d.Dir, k)) {
						t.Errorf("folder %s still known after its removal", k)
					}
				}
			},
			known: []string{"a", "a/b", "a/b/c"},
		},
		{
			name: "folders removed by another process",
			between: func(t *testing.T, d *Disk) {
				if err := os.RemoveAll(filepath.Join(d.Dir, "a")); err != nil {
					t.Fatal(err)
				}
			},
			known: []string{"a", "a/b", "a/b/c"},
		},
		{
			name: "a folder replaced by an object",
			between: func(t *testing.T, d *Disk) {
				if err := os.RemoveAll(filepath.Join(d.Dir, "a", "b")); err != nil {
					t.Fatal(err)
				}
				d.dirs.forgetChain(d.Dir, filepath.Join(d.Dir, "a", "b", "c"))
				if err := d.Put(ctx, "a/b", strings.NewReader("obj"), 3, ""); err != nil {
					t.Fatal(err)
				}
			},
			known:   []string{"a"},
			unknown: []string{"a/b", "a/b/c"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := NewDisk(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			if err := d.Put(ctx, "a/b/c/x", strings.NewReader("one"), 3, ""); err != nil {
				t.Fatal(err)
			}
			tt.between(t, d)
			err = d.Put(ctx, "a/b/c/y", strings.NewReader("two"), 3, "")
			if len(tt.unknown) > 0 {
				if inkform.ErrorCode(err) != inkform.ECONFLICT {
					t.Fatalf("put under an object: %v, want a conflict", err)
				}
			} else if err != nil {
				t.Fatal(err)
			} else if got := readAll(t, d, "a/b/c/y"); got != "two" {
				t.Errorf("read back %q, want %q", got, "two")
			}
			for _, k := range tt.known {
				if !d.dirs.known(filepath.Join(d.Dir, k)) {
					t.Errorf("folder %s not known", k)
				}
			}
			for _, k := range tt.unknown {
				if d.dirs.known(filepath.Join(d.Dir, k)) {
					t.Errorf("folder %s known", k)
				}
			}
		})
	}
}

// TestDiskPutDeleteRace runs Puts and Deletes of keys in the same few
// folders at once: every Put must succeed although Deletes keep removing
// the folders it writes into, and the last object of each key is there.
func TestDiskPutDeleteRace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, err := NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	const writers, rounds = 4, 40
	var wg sync.WaitGroup
	errs := make(chan error, writers*rounds)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				key := fmt.Sprintf("docs/d%d/pdf/w%d.pdf", i%3, w)
				if err := d.Put(ctx, key, strings.NewReader(key), int64(len(key)), ""); err != nil {
					errs <- fmt.Errorf("put %s: %w", key, err)
					return
				}
				if i < rounds-3 {
					if err := d.Delete(ctx, key); err != nil {
						errs <- fmt.Errorf("delete %s: %w", key, err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for w := range writers {
		for i := rounds - 3; i < rounds; i++ {
			key := fmt.Sprintf("docs/d%d/pdf/w%d.pdf", i%3, w)
			if got := readAll(t, d, key); got != key {
				t.Errorf("%s holds %q", key, got)
			}
		}
	}
}

func readAll(t *testing.T, d *Disk, key string) string {
	t.Helper()
	rc, _, err := d.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDurableDirsBound checks that the set of known folders starts again
// empty when full, so it cannot grow with every document a process stores,
// and that forgetChain removes a folder and its parents only.
func TestDurableDirsBound(t *testing.T) {
	t.Parallel()
	var s durableDirs
	for i := range durableDirsMax {
		s.add(fmt.Sprintf("/r/d%d", i))
	}
	if !s.known("/r/d0") || len(s.set) != durableDirsMax {
		t.Fatalf("full set: d0 known %v, %d entries", s.known("/r/d0"), len(s.set))
	}
	s.add("/r/one-more")
	if s.known("/r/d0") || !s.known("/r/one-more") || len(s.set) != 1 {
		t.Errorf("after one more: d0 known %v, one-more known %v, %d entries, want a new set of one",
			s.known("/r/d0"), s.known("/r/one-more"), len(s.set))
	}
	for _, p := range []string{"/r/a", "/r/a/b", "/r/a/b/c", "/r/a/x"} {
		s.add(p)
	}
	s.forgetChain("/r", "/r/a/b/c")
	for p, want := range map[string]bool{"/r/a": false, "/r/a/b": false, "/r/a/b/c": false, "/r/a/x": true, "/r/one-more": true} {
		if s.known(p) != want {
			t.Errorf("after forgetChain: %s known %v, want %v", p, s.known(p), want)
		}
	}
}

// TestDiskSyncsNewFolders checks what makes a Put durable: the object's
// folder is synced every time, and the parent of every folder the Put made
// (or found but had not synced) once; a second Put into a known folder
// syncs that folder only.
func TestDiskSyncsNewFolders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, err := NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(d.Dir, "orgs", "o1"), 0o750); err != nil {
		t.Fatal(err) // made by an earlier process: not known to this store
	}
	var synced []string
	d.synced = func(dir string) {
		rel, _ := filepath.Rel(d.Dir, dir)
		synced = append(synced, filepath.ToSlash(rel))
	}
	steps := []struct {
		key  string
		want []string
	}{
		{"orgs/o1/documents/d1/pdf/1.pdf", []string{"orgs/o1/documents/d1/pdf", "orgs/o1/documents/d1", "orgs/o1/documents", "orgs/o1", "orgs", "."}},
		{"orgs/o1/documents/d1/pdf/2.pdf", []string{"orgs/o1/documents/d1/pdf"}},
		{"orgs/o1/documents/d2/pdf/1.pdf", []string{"orgs/o1/documents/d2/pdf", "orgs/o1/documents/d2", "orgs/o1/documents"}},
		{"orgs/o1/documents/d2/cutouts/x.png", []string{"orgs/o1/documents/d2/cutouts", "orgs/o1/documents/d2"}},
	}
	for _, st := range steps {
		synced = nil
		if err := d.Put(ctx, st.key, strings.NewReader("x"), 1, ""); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(synced) != fmt.Sprint(st.want) {
			t.Errorf("Put %s synced %v, want %v", st.key, synced, st.want)
		}
	}
}
