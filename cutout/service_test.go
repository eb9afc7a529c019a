package cutout

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// twoInk is ink on cutoutForm's page.
func twoInk() []inkform.PageInk {
	return []inkform.PageInk{{Address: "1.2.3.4", Strokes: []inkform.Stroke{line(25, 32, 28, 38), line(41, 61, 45, 65)}}}
}

func TestFindCutoutErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		field  string
		format string
		dpi    int
		setup  func(e *env)
		code   string
		msg    string
	}{
		{"unknown format", "a", "gif", 200, nil, inkform.EINVALID, `not "gif"`},
		{"dpi too low", "a", "png", inkform.MinCutoutDPI - 1, nil, inkform.EINVALID, "dpi"},
		{"dpi too high", "a", "svg", inkform.MaxCutoutDPI + 1, nil, inkform.EINVALID, "dpi"},
		{"no such document", "a", "png", 200, func(e *env) { e.docs.purge() }, inkform.ENOTFOUND, "document not found"},
		{"form version gone", "a", "png", 200, func(e *env) { e.doc.FormVersion = 2 }, inkform.ENOTFOUND, "form version not found"},
		{"no such field", "nope", "png", 200, nil, inkform.ENOTFOUND, `the document's form has no field "nope"`},
		{"field without a box", "nobox", "png", 200, nil, inkform.EUNPROCESSABLE, `field "nobox" has no box to cut out`},
		{"ink unreadable", "a", "png", 200, func(e *env) { e.docs.inkErr = errors.New("disk on fire") }, inkform.EINTERNAL, "Internal error."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			form := cutoutForm()
			form.Fields = append(form.Fields, inkform.Field{Name: "nobox", Type: inkform.FieldText, Page: 1})
			e := newEnv(form, twoInk())
			if tt.setup != nil {
				tt.setup(e)
			}
			c, err := e.svc.FindCutout(context.Background(), e.org, e.doc.ID, tt.field, tt.format, tt.dpi)
			if inkform.ErrorCode(err) != tt.code || !strings.Contains(inkform.ErrorMessage(err), tt.msg) {
				t.Errorf("FindCutout = %+v, %v; want %s %q", c, err, tt.code, tt.msg)
			}
		})
	}
	e := newEnv(cutoutForm(), twoInk())
	if _, err := e.svc.FindCutout(context.Background(), inkform.NewID(), e.doc.ID, "a", "png", 200); inkform.ErrorCode(err) != inkform.ENOTFOUND {
		t.Errorf("another org's document: %v, want ENOTFOUND", err)
	}
}

func TestFindCutout(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		pages  []inkform.PageInk
		format string
		key    string // the ink part of the key
		ctype  string
	}{
		{"png of ink", twoInk(), inkform.CutoutPNG, "0123456789abcdef", "image/png"},
		{"svg of ink", twoInk(), inkform.CutoutSVG, "0123456789abcdef", "image/svg+xml"},
		{"no ink yet", nil, inkform.CutoutPNG, "noink", "image/png"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(cutoutForm(), tt.pages)
			c, err := e.svc.FindCutout(context.Background(), e.org, e.doc.ID, "b", tt.format, 150)
			if err != nil {
				t.Fatal(err)
			}
			want := inkform.DocumentBlobPrefix(e.org, e.doc.ID) + "cutouts/" + tt.key + "/b@150." + tt.format
			if c.Key != want || c.ContentType != tt.ctype || c.Field != "b" || c.DPI != 150 || c.Document != e.doc {
				t.Errorf("cutout %+v, want key %s and type %s", c, want, tt.ctype)
			}
			if (c.Ink == nil) != (tt.pages == nil) {
				t.Errorf("cutout ink %v with ink pages %v", c.Ink, tt.pages)
			}
		})
	}
}

// TestOpenCutoutCache checks that a cutout is drawn once and then served
// from the blob store, and that a failing cache costs a log line, not the
// answer.
func TestOpenCutoutCache(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		getErr, putErr error
		puts, kept     int // Puts over both calls, objects kept
		log            string
	}{
		{"cached after the first", nil, nil, 1, 1, ""},
		{"cache unreadable", errors.New("s3 down"), nil, 2, 1, "cutout cache read failed"},
		{"cache unwritable", nil, errors.New("disk full"), 2, 0, "cutout cache write failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(cutoutForm(), twoInk())
			e.blobs.getErr, e.blobs.putErr = tt.getErr, tt.putErr
			var logs bytes.Buffer
			e.svc.Logger = slog.New(slog.NewTextHandler(&logs, nil))
			first, info, err := e.get(context.Background(), "a", inkform.CutoutPNG, 100)
			if err != nil {
				t.Fatal(err)
			}
			if info.Size != int64(len(first)) || info.ContentType != "image/png" || !bytes.HasPrefix(first, []byte("\x89PNG")) {
				t.Errorf("first: %d bytes, info %+v", len(first), info)
			}
			again, info, err := e.get(context.Background(), "a", inkform.CutoutPNG, 100)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again, first) || info.ContentType != "image/png" || info.Size != int64(len(again)) {
				t.Errorf("second: %d bytes (first %d), info %+v", len(again), len(first), info)
			}
			if e.blobs.puts != tt.puts || len(e.blobs.keys()) != tt.kept {
				t.Errorf("%d puts, %d objects kept; want %d, %d", e.blobs.puts, len(e.blobs.keys()), tt.puts, tt.kept)
			}
			if tt.log != "" && !strings.Contains(logs.String(), tt.log) || tt.log == "" && logs.Len() > 0 {
				t.Errorf("logs %q, want %q", logs.String(), tt.log)
			}
		})
	}
}

// TestCutoutCacheDuringPurge checks that a cutout drawn while its document
// is purged is not left in the cache, and is cached otherwise.
func TestCutoutCacheDuringPurge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		purge bool
		kept  int
	}{
		{"no purge: cached", false, 1},
		{"purged meanwhile: not kept", true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(cutoutForm(), twoInk())
			if tt.purge {
				e.blobs.onPut = e.docs.purge
			}
			if _, _, err := e.get(context.Background(), "a", inkform.CutoutPNG, 200); err != nil {
				t.Fatal(err)
			}
			if got := len(e.blobs.keys()); got != tt.kept {
				t.Errorf("%d cached object(s), want %d", got, tt.kept)
			}
		})
	}
}
