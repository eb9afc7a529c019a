package inkform

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// MaxLocateBytes bounds the JSON JSONPathOffset reads: a template is at
// most this large anyway (the API's body limit is smaller), and walking
// more would let one request cost more than storing it.
const MaxLocateBytes = 8 << 20

// JSONPathOffset returns the byte offset in body where the value a path
// names begins (for an object member, where its key begins), as problems
// name them: `fields[2].box.w`, `pages[0]`, `name`. When the path names
// nothing in body (a member the author left out), it returns the offset of
// the deepest part of it that is there, so a message about a missing
// member still lands on the object that lacks it; ok is false only when
// not even the first part is there (or body is not JSON up to it, or
// larger than MaxLocateBytes). Paths of problems use keys without dots or
// brackets, so they are split at those.
func JSONPathOffset(body []byte, path string) (offset int64, ok bool) {
	if len(body) > MaxLocateBytes {
		return 0, false
	}
	type level struct {
		array bool
		path  string // of the container
		index int    // the element being read
		inKey bool   // an object's next token is a key
		key   string // the member being read
		start int64  // where that member's key begins
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var stack []level
	best, bestLen := int64(0), -1
	// consider records a value's path and start if it is the path asked
	// for or a longer prefix of it than any seen so far.
	consider := func(p string, at int64) bool {
		switch {
		case p == path:
			best, bestLen = at, len(p)
			return true
		case len(p) > bestLen && (p == "" || strings.HasPrefix(path, p) && (path[len(p)] == '.' || path[len(p)] == '[')):
			best, bestLen = at, len(p)
		}
		return false
	}
	// child gives the path and start of the value about to be read.
	child := func(at int64) (string, int64) {
		if len(stack) == 0 {
			return "", at
		}
		top := &stack[len(stack)-1]
		if top.array {
			return top.path + "[" + strconv.Itoa(top.index) + "]", at
		}
		if top.path == "" {
			return top.key, top.start
		}
		return top.path + "." + top.key, top.start
	}
	done := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].index++
			} else {
				stack[n-1].inKey = true
			}
		}
	}
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			break
		}
		at := before + int64(len(body[before:])-len(bytes.TrimLeft(body[before:], " \t\r\n,:")))
		if d, isDelim := tok.(json.Delim); isDelim && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			done()
			continue
		}
		if n := len(stack); n > 0 && !stack[n-1].array && stack[n-1].inKey {
			stack[n-1].key, _ = tok.(string)
			stack[n-1].start, stack[n-1].inKey = at, false
			continue
		}
		p, start := child(at)
		if consider(p, start) {
			return best, true
		}
		if d, isDelim := tok.(json.Delim); isDelim {
			stack = append(stack, level{array: d == '[', inKey: d == '{', path: p})
			continue
		}
		done()
	}
	return best, bestLen > 0 || (bestLen == 0 && path == "")
}
