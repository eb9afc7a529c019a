package cutout

import (
	"bytes"
	"context"
	"io"
	"slices"
	"sync"

	"github.com/inkform/inkform"
)

// fakeDocuments serves one document and its ink; the embedded interface
// makes any other method panic, so a test notices what it did not expect.
type fakeDocuments struct {
	inkform.DocumentService
	mu     sync.Mutex
	doc    *inkform.Document
	ink    *inkform.DocumentInk // nil: the document has no ink
	inkErr error
}

func (f *fakeDocuments) FindDocument(ctx context.Context, orgID, id string) (*inkform.Document, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.doc == nil || f.doc.ID != id || f.doc.OrgID != orgID {
		return nil, inkform.Errorf(inkform.ENOTFOUND, "document not found")
	}
	return f.doc, nil
}

func (f *fakeDocuments) FindDocumentInk(ctx context.Context, orgID, id string) (*inkform.DocumentInk, error) {
	if _, err := f.FindDocument(ctx, orgID, id); err != nil {
		return nil, err
	}
	switch {
	case f.inkErr != nil:
		return nil, f.inkErr
	case f.ink == nil:
		return nil, inkform.Errorf(inkform.ENOTFOUND, "document has no ink")
	}
	return f.ink, nil
}

// purge removes the document, as a purge landing meanwhile would.
func (f *fakeDocuments) purge() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.doc = nil
}

// fakeForms serves form versions.
type fakeForms struct {
	inkform.FormService
	forms []*inkform.Form
}

func (f *fakeForms) FindFormVersion(ctx context.Context, orgID, formID string, version int) (*inkform.Form, error) {
	for _, fm := range f.forms {
		if fm.ID == formID && fm.OrgID == orgID && fm.Version == version {
			return fm, nil
		}
	}
	return nil, inkform.Errorf(inkform.ENOTFOUND, "form version not found")
}

// fakeBlobs is an in-memory BlobStore. getErr and putErr, when set, fail
// every Get or Put; onPut runs before each Put.
type fakeBlobs struct {
	mu      sync.Mutex
	objects map[string][]byte
	getErr  error
	putErr  error
	onPut   func()
	puts    int
}

func (f *fakeBlobs) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if f.onPut != nil {
		f.onPut()
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.puts++
	if f.putErr != nil {
		return f.putErr
	}
	f.objects[key] = data
	return nil
}

func (f *fakeBlobs) Get(ctx context.Context, key string) (io.ReadCloser, *inkform.BlobInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.getErr != nil {
		return nil, nil, f.getErr
	}
	data, ok := f.objects[key]
	if !ok {
		return nil, nil, inkform.Errorf(inkform.ENOTFOUND, "no object %s", key)
	}
	return io.NopCloser(bytes.NewReader(data)), &inkform.BlobInfo{Key: key, Size: int64(len(data)), ContentType: inkform.DefaultBlobContentType}, nil
}

func (f *fakeBlobs) Stat(ctx context.Context, key string) (*inkform.BlobInfo, error) {
	panic("not used by cutouts")
}

func (f *fakeBlobs) Delete(ctx context.Context, key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.objects, key)
	return nil
}

func (f *fakeBlobs) List(ctx context.Context, prefix string, fn func(inkform.BlobInfo) error) error {
	panic("not used by cutouts")
}

// keys returns the stored keys in order.
func (f *fakeBlobs) keys() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for k := range f.objects {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// env is a Service over fakes holding one form and one document of it.
type env struct {
	svc   *Service
	docs  *fakeDocuments
	blobs *fakeBlobs
	org   string
	doc   *inkform.Document
}

// newEnv stores form as version 1 of a new form and a document of it with
// the ink pages (none: a document without ink) on the form's first page.
func newEnv(form *inkform.Form, pages []inkform.PageInk) *env {
	org := inkform.NewID()
	form.ID, form.OrgID, form.Version = inkform.NewID(), org, 1
	doc := &inkform.Document{ID: inkform.NewID(), OrgID: org, FormID: form.ID, FormVersion: 1,
		Pages: []inkform.DocumentPage{{Number: 1, Address: form.Pages[0].Address}}}
	docs := &fakeDocuments{doc: doc}
	if pages != nil {
		docs.ink = &inkform.DocumentInk{DocumentID: doc.ID, Pages: pages, SHA256: "0123456789abcdef0123"}
	}
	blobs := &fakeBlobs{objects: map[string][]byte{}}
	svc := &Service{Documents: docs, Forms: &fakeForms{forms: []*inkform.Form{form}}, Blobs: blobs}
	return &env{svc: svc, docs: docs, blobs: blobs, org: org, doc: doc}
}

// get finds and opens a cutout and returns its bytes and info.
func (e *env) get(ctx context.Context, field, format string, dpi int) ([]byte, *inkform.BlobInfo, error) {
	c, err := e.svc.FindCutout(ctx, e.org, e.doc.ID, field, format, dpi)
	if err != nil {
		return nil, nil, err
	}
	rc, info, err := e.svc.OpenCutout(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	return data, info, err
}
