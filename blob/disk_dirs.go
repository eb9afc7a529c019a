package blob

import (
	"path/filepath"
	"sync"
)

// durableDirsMax bounds the set of known folders (about 1 MB of paths).
// Every document gets its own folders, so without a bound the set would
// grow with the documents a process ever stored; forgetting one only costs
// the next Put into it a mkdir, a stat and a sync of its parent, and the
// shared folders above (org, documents/) are synced again once per reset.
const durableDirsMax = 1 << 13

// durableDirs is the set of folders under a Disk's root that exist and
// whose entries in their parents this store has synced, so a Put into one
// neither looks for it nor syncs it again: with a folder per document,
// each new document's PDF used to cost a stat per level and two folder
// syncs besides its own.
//
// A folder is added only after its parent was synced, together with its
// parents, and removed (forgotten) when a Delete removes it or a Put finds
// it gone. A Put that found its folder here checks again once its
// temporary file is inside (nobody can remove a folder then): if the
// folder was forgotten meanwhile, it may be a new one made by another
// writer and not yet synced, so the Put syncs it itself. Another process
// removing and making the same folder again is the one case this does not
// see; it syncs its own folder before its Put returns. The zero value is
// an empty set.
type durableDirs struct {
	mu  sync.Mutex
	set map[string]struct{}
}

// known reports whether dir is in the set.
func (s *durableDirs) known(dir string) bool {
	s.mu.Lock()
	_, ok := s.set[dir]
	s.mu.Unlock()
	return ok
}

// add puts dir in the set; when the set is full it starts again empty,
// which costs the folders in use one more sync each, not correctness.
func (s *durableDirs) add(dir string) {
	s.mu.Lock()
	if s.set == nil || len(s.set) >= durableDirsMax {
		s.set = map[string]struct{}{}
	}
	s.set[dir] = struct{}{}
	s.mu.Unlock()
}

// forget removes dir from the set.
func (s *durableDirs) forget(dir string) {
	s.mu.Lock()
	delete(s.set, dir)
	s.mu.Unlock()
}

// forgetChain removes dir and its parents up to root from the set: a Put
// that finds a folder gone does not know how many levels a Delete removed.
func (s *durableDirs) forgetChain(root, dir string) {
	s.mu.Lock()
	for p := dir; len(p) > len(root); p = filepath.Dir(p) {
		delete(s.set, p)
	}
	s.mu.Unlock()
}
