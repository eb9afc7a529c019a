package http

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
)

// fakeCutouts is a CutoutService that records what it was asked and serves
// "image of FIELD" for every cutout.
type fakeCutouts struct {
	mu      sync.Mutex
	findErr error
	openErr error
	found   []string // "org doc field format dpi"
	opened  int
}

func (f *fakeCutouts) FindCutout(ctx context.Context, orgID, documentID, field, format string, dpi int) (*inkform.Cutout, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.found = append(f.found, fmt.Sprintf("%s %s %s %s %d", orgID, documentID, field, format, dpi))
	if f.findErr != nil {
		return nil, f.findErr
	}
	return &inkform.Cutout{OrgID: orgID, DocumentID: documentID, Field: field, Format: format, DPI: dpi,
		Key: inkform.CutoutKey(orgID, documentID, "0123456789abcdef99", field, dpi, format), ContentType: "image/x-" + format}, nil
}

func (f *fakeCutouts) OpenCutout(ctx context.Context, c *inkform.Cutout) (io.ReadCloser, *inkform.BlobInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.opened++
	if f.openErr != nil {
		return nil, nil, f.openErr
	}
	body := "image of " + c.Field
	return io.NopCloser(strings.NewReader(body)), &inkform.BlobInfo{Key: c.Key, Size: int64(len(body)), ContentType: c.ContentType}, nil
}

// TestDocumentCutout checks what the handler adds to the CutoutService:
// parameters, the ETag and 304, the audit record and problem answers.
func TestDocumentCutout(t *testing.T) {
	t.Parallel()
	id := inkform.NewID()
	const etag = `"cutouts/0123456789abcdef/a@200.png"`
	tests := []struct {
		name        string
		path        string
		ifNoneMatch string
		findErr     error
		openErr     error
		status      int
		found       string // what FindCutout was asked, after the org
		opened      int
		audit       []string
		body        string
	}{
		{"png at the default dpi", "/fields/a/cutout.png", "", nil, nil, 200, id + " a png 200", 1,
			[]string{"document.read document cutout a.png"}, "image of a"},
		{"svg at a dpi", "/fields/sig/cutout.svg?dpi=75", "", nil, nil, 200, id + " sig svg 75", 1,
			[]string{"document.read document cutout sig.svg"}, "image of sig"},
		{"client has it", "/fields/a/cutout.png", etag, nil, nil, 304, id + " a png 200", 0, nil, ""},
		{"client has another", "/fields/a/cutout.png", `"cutouts/00/a@200.png"`, nil, nil, 200, id + " a png 200", 1,
			[]string{"document.read document cutout a.png"}, "image of a"},
		{"dpi not a number", "/fields/a/cutout.png?dpi=x", "", nil, nil, 400, "", 0, nil, "must be an integer from 25 to 600"},
		{"dpi too high", "/fields/a/cutout.png?dpi=601", "", nil, nil, 400, "", 0, nil, "must be an integer from 25 to 600"},
		{"no such field", "/fields/nope/cutout.png", "", inkform.Errorf(inkform.ENOTFOUND, "the document's form has no field %q", "nope"), nil,
			404, id + " nope png 200", 0, nil, `the document's form has no field \"nope\"`},
		{"drawing fails", "/fields/a/cutout.png", "", nil, errors.New("renderer broke"), 500, id + " a png 200", 1,
			[]string{"document.read document cutout a.png"}, "Internal error."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cutouts := &fakeCutouts{findErr: tt.findErr, openErr: tt.openErr}
			rec := &fake.Recorder{}
			e := newEnv(t, func(s *Server) { s.Cutouts, s.Audit = cutouts, &fake.Audit{Hook: rec.Hook} })
			w := e.doWith(t, inkform.RoleVerifier, "GET", "/api/v1/documents/"+id+tt.path, "", map[string]string{"If-None-Match": tt.ifNoneMatch})
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.body) {
				t.Fatalf("%d %s, want %d %q", w.Code, w.Body, tt.status, tt.body)
			}
			if want := []string{e.orgID + " " + tt.found}; tt.found == "" && len(cutouts.found) != 0 || tt.found != "" && !slices.Equal(cutouts.found, want) {
				t.Errorf("FindCutout asked %q, want %q", cutouts.found, want)
			}
			if cutouts.opened != tt.opened || !slices.Equal(auditActions(rec), tt.audit) {
				t.Errorf("opened %d times, audit %q; want %d, %q", cutouts.opened, auditActions(rec), tt.opened, tt.audit)
			}
			if tt.status == 200 {
				h := w.Header()
				format := strings.Fields(tt.found)[2]
				if h.Get("ETag") == "" || h.Get("Cache-Control") != "private, no-cache" ||
					h.Get("Content-Type") != "image/x-"+format || h.Get("Content-Length") != fmt.Sprint(len(tt.body)) {
					t.Errorf("headers %v", h)
				}
			}
			if tt.ifNoneMatch == etag && w.Header().Get("ETag") != etag {
				t.Errorf("ETag %q, want %q", w.Header().Get("ETag"), etag)
			}
		})
	}
}
