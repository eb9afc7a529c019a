package pdf

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/pdf/pdftest"
)

// TestBackgroundBombs checks that a background whose streams inflate past
// MaxBackgroundInflatedBytes is refused wherever its streams are, by the
// upload check and by the renderer (for backgrounds stored before the
// check), and that refusing it takes a few megabytes, not what the
// streams inflate to. One within the limit is accepted.
func TestBackgroundBombs(t *testing.T) {
	// Not parallel: it measures what each check allocates.
	const limit = inkform.MaxBackgroundInflatedBytes
	// Reading a small PDF takes pdfcpu a few megabytes; the bombs inflate
	// to 64 MiB and more.
	const budget = 16 << 20
	over := limit/2 + 1<<20 // two pages of it are over the limit
	form := sampleForm()
	doc, _ := sampleDoc()
	tests := []struct {
		name    string
		data    []byte
		inflate int    // what the file's streams inflate to, at least
		path    string // of the problem; "" when accepted
		problem string // part of its message
	}{
		{"content streams", pdftest.Bomb(pdftest.Contents, 2, over), 2 * over, "background", "by object 6"},
		{"content compressed twice", pdftest.Bomb(pdftest.ChainedFilters, 2, over), 2 * over, "background", "more than 64 MiB"},
		{"cross-reference stream", pdftest.Bomb(pdftest.XRefStream, 2, limit+1<<20), limit, "background", "more than 64 MiB"},
		{"object streams", pdftest.Bomb(pdftest.ObjectStreams, 2, over), 2 * over, "background", "more than 64 MiB"},
		{"one content stream on every page", pdftest.Bomb(pdftest.SharedContents, 2, over), 2 * over, "background.pages[1]", "more than 64 MiB"},
		{"too many content streams", pdftest.Bomb(pdftest.ContentArrays, 2, maxPageContents+1), 0, "background.pages[0]", "has 257 content streams"},
		{"within the limit", pdftest.Bomb(pdftest.Contents, 2, limit/2-1<<20), limit - 2<<20, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out []byte
			alloc := allocated(func() {
				var err error
				out, err = NormalizeBackground(tt.data, form)
				checkRefusal(t, "NormalizeBackground", err, tt.path, tt.problem)
			})
			t.Logf("%d bytes inflating to %d MiB: checked with %.1f MiB allocated", len(tt.data), tt.inflate>>20, float64(alloc)/(1<<20))
			if alloc > budget {
				t.Errorf("the check allocated %d bytes, more than %d", alloc, budget)
			}
			if tt.path == "" {
				if !bytes.HasPrefix(out, []byte("%PDF-")) {
					t.Errorf("accepted, but the result is no PDF")
				}
				return
			}
			var buf bytes.Buffer
			alloc = allocated(func() {
				err := Filled(&buf, FilledInput{Form: form, Doc: doc, Background: tt.data})
				checkRefusal(t, "Filled", err, tt.path, tt.problem)
			})
			if alloc > budget || buf.Len() > 0 {
				t.Errorf("Filled allocated %d bytes (at most %d) and wrote %d", alloc, budget, buf.Len())
			}
		})
	}
}

// checkRefusal fails t unless err refuses a background as unprocessable
// with a problem at path that says problem; path "" wants no error.
func checkRefusal(t *testing.T, what string, err error, path, problem string) {
	t.Helper()
	if path == "" {
		if err != nil {
			t.Fatalf("%s: %v %v", what, err, inkform.ErrorProblems(err))
		}
		return
	}
	if code := inkform.ErrorCode(err); code != inkform.EUNPROCESSABLE {
		t.Fatalf("%s: %v (code %q), want %q", what, err, code, inkform.EUNPROCESSABLE)
	}
	for _, p := range inkform.ErrorProblems(err) {
		if p.Path == path && strings.Contains(p.Message, problem) {
			return
		}
	}
	t.Errorf("%s: problems %+v lack %q at %s", what, inkform.ErrorProblems(err), problem, path)
}

// allocated returns how many bytes f allocates.
func allocated(f func()) uint64 {
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	return allocatedSince(before)
}

// allocatedSince returns how many bytes were allocated since before was
// read.
func allocatedSince(before runtime.MemStats) uint64 {
	var now runtime.MemStats
	runtime.ReadMemStats(&now)
	return now.TotalAlloc - before.TotalAlloc
}
