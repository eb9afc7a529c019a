package deliver_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/deliver"
	"github.com/inkform/inkform/fake"
)

// memBlob is one object of a memBlobs.
type memBlob struct {
	data []byte
	ct   string
}

// memBlobs is an in-memory inkform.BlobStore.
type memBlobs struct {
	mu   sync.Mutex
	objs map[string]memBlob
}

func newMemBlobs() *memBlobs { return &memBlobs{objs: map[string]memBlob{}} }

func (m *memBlobs) Put(_ context.Context, key string, r io.Reader, size int64, ct string) error {
	if err := inkform.ValidateBlobKey(key); err != nil {
		return err
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if size >= 0 && int64(len(b)) != size {
		return inkform.Errorf(inkform.EINVALID, "read %d bytes, want %d", len(b), size)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.objs[key] = memBlob{data: b, ct: ct}
	return nil
}

func (m *memBlobs) Get(_ context.Context, key string) (io.ReadCloser, *inkform.BlobInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.objs[key]
	if !ok {
		return nil, nil, inkform.Errorf(inkform.ENOTFOUND, "blob not found")
	}
	return io.NopCloser(bytes.NewReader(o.data)), &inkform.BlobInfo{Key: key, Size: int64(len(o.data)), ContentType: o.ct}, nil
}

func (m *memBlobs) Stat(ctx context.Context, key string) (*inkform.BlobInfo, error) {
	_, info, err := m.Get(ctx, key)
	return info, err
}

func (m *memBlobs) Delete(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.objs, key)
	return nil
}

func (m *memBlobs) List(_ context.Context, prefix string, fn func(inkform.BlobInfo) error) error {
	m.mu.Lock()
	var keys []string
	for k := range m.objs {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	m.mu.Unlock()
	slices.Sort(keys)
	for _, k := range keys {
		if err := fn(inkform.BlobInfo{Key: k}); err != nil {
			return err
		}
	}
	return nil
}

// keys returns every key in the store.
func (m *memBlobs) keys() []string {
	var keys []string
	_ = m.List(context.Background(), "", func(b inkform.BlobInfo) error { keys = append(keys, b.Key); return nil })
	return keys
}

// oneRender is a RenderStore holding at most one render; only FindRender
// is used.
type oneRender struct {
	inkform.RenderStore
	r *inkform.DocumentRender
}

func (o oneRender) FindRender(_ context.Context, _, id string) (*inkform.DocumentRender, error) {
	if o.r == nil || o.r.DocumentID != id {
		return nil, inkform.Errorf(inkform.ENOTFOUND, "render not found")
	}
	return o.r, nil
}

// marks records MarkExported calls.
type marks struct {
	mu  sync.Mutex
	ids []string
}

func (m *marks) MarkExported(_ context.Context, org, id string, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ids = append(m.ids, org+"/"+id)
	return nil
}

// exportFixture is an exporter of one document of org o1 to the target
// "archive", with the document's current PDF in the main store.
type exportFixture struct {
	e       *deliver.Exporter
	store   *oneSubscription
	docs    *fake.Documents
	target  *memBlobs
	marks   *marks
	doc     *inkform.Document
	pdf     []byte
	args    inkform.DeliverArgs
	handler *inkform.Subscription
}

func newExportFixture(t *testing.T, format string, fields map[string]inkform.FieldValue) *exportFixture {
	t.Helper()
	updated := time.Date(2026, 11, 3, 9, 30, 0, 0, time.UTC)
	doc := &inkform.Document{ID: "d1", OrgID: "o1", FormID: "f1", FormVersion: 2, Status: inkform.StatusValidated,
		CopyID: "c7", PenID: "AJX-AAB", Fields: fields, CreatedAt: updated.Add(-time.Hour), UpdatedAt: updated}
	form := &inkform.Form{ID: "f1", OrgID: "o1", Version: 2, FormTemplate: inkform.FormTemplate{Fields: []inkform.Field{
		{Name: "patient", Type: inkform.FieldText}, {Name: "age", Type: inkform.FieldNumber},
		{Name: "ok", Type: inkform.FieldCheckbox}, {Name: "colours", Type: inkform.FieldChoice, Multiple: true},
	}}}
	h := &inkform.Subscription{ID: "h1", OrgID: "o1", FormID: "f1", Type: inkform.SubscriptionExport, Target: "archive",
		Format: format, Path: inkform.DefaultExportPath, Events: []string{inkform.EventDocumentValidated}}
	pdf := []byte("%PDF-1.7 the document\n%%EOF\n")
	render := &inkform.DocumentRender{DocumentID: "d1", SourceUpdatedAt: updated, Key: inkform.DocumentPDFKey("o1", "d1", updated, "")}
	pdfs := &memBlobs{objs: map[string]memBlob{render.Key: {data: pdf, ct: "application/pdf"}}}
	f := &exportFixture{store: newOneSubscription(h, ""), docs: oneDoc(doc), target: newMemBlobs(), marks: &marks{}, doc: doc, pdf: pdf, handler: h,
		args: inkform.DeliverArgs{SubscriptionID: "h1", DocumentID: "d1", Event: inkform.EventDocumentValidated, MessageID: "msg_1",
			EventAt: time.Date(2026, 11, 27, 23, 59, 0, 0, time.UTC)}}
	f.e = &deliver.Exporter{Subscriptions: f.store, Documents: f.docs, Forms: oneForm(form), Renders: oneRender{r: render},
		Blobs: pdfs, Targets: map[string]inkform.BlobStore{"archive": f.target, "other": newMemBlobs()},
		Marker: f.marks, BaseURL: "https://inkform.example"}
	return f
}

// deliver stores the fixture's subscription and document as they are now
// (a case may have changed them) and delivers the event for org.
func (f *exportFixture) deliver(org string) error {
	f.store.save()
	f.docs.Put(f.doc, nil)
	return f.e.Deliver(context.Background(), org, f.args, 1)
}

// object returns the one object of the target, failing unless there is
// exactly one.
func (f *exportFixture) object(t *testing.T) (string, memBlob) {
	t.Helper()
	keys := f.target.keys()
	if len(keys) != 1 {
		t.Fatalf("target holds %v, want one object", keys)
	}
	return keys[0], f.target.objs[keys[0]]
}

// wantRecorded checks the subscription's log holds one attempt with an error
// containing errPart ("" for success).
func (f *exportFixture) wantRecorded(t *testing.T, errPart string) {
	t.Helper()
	rec := f.store.recorded()
	if len(rec) != 1 || rec[0].MessageID != "msg_1" || rec[0].Attempt != 1 || rec[0].StatusCode != 0 ||
		(errPart == "") != (rec[0].Error == "") || !strings.Contains(rec[0].Error, errPart) {
		t.Errorf("recorded %+v, want one attempt with error %q", rec, errPart)
	}
}

func TestExportFormats(t *testing.T) {
	t.Parallel()
	fields := map[string]inkform.FieldValue{
		"patient": {Value: "ANNA, \"Nan\"", Valid: true}, "age": {Value: "042"}, "ok": {Value: true},
		"colours": {Value: []string{"red", "blue"}},
	}
	tests := []struct {
		format, key, ct string
		check           func(t *testing.T, f *exportFixture, body []byte)
	}{
		{format: "pdf", key: "o1/f1/2026/11/d1.pdf", ct: "application/pdf", check: func(t *testing.T, f *exportFixture, body []byte) {
			if !bytes.Equal(body, f.pdf) {
				t.Errorf("exported PDF %q, want the render's bytes", body)
			}
		}},
		{format: "json", key: "o1/f1/2026/11/d1.json", ct: "application/json", check: func(t *testing.T, _ *exportFixture, body []byte) {
			var got struct {
				ID          string                        `json:"id"`
				FormVersion int                           `json:"formVersion"`
				Copy        string                        `json:"copy"`
				Fields      map[string]inkform.FieldValue `json:"fields"`
				Links       inkform.Links                 `json:"links"`
			}
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("exported JSON %s: %v", body, err)
			}
			if got.ID != "d1" || got.FormVersion != 2 || got.Copy != "c7" || got.Fields["patient"].Value != "ANNA, \"Nan\"" ||
				got.Links.PDF != "https://inkform.example/api/v1/documents/d1/pdf" {
				t.Errorf("exported JSON %s", body)
			}
		}},
		{format: "csv", key: "o1/f1/2026/11/d1.csv", ct: "text/csv; charset=utf-8", check: func(t *testing.T, _ *exportFixture, body []byte) {
			want := "document,form,formVersion,status,copy,pen,createdAt,updatedAt,patient,age,ok,colours\n" +
				"d1,f1,2,validated,c7,AJX-AAB,2026-11-03T08:30:00Z,2026-11-03T09:30:00Z,\"ANNA, \"\"Nan\"\"\",042,true,red;blue\n"
			if string(body) != want {
				t.Errorf("exported CSV\n%s\nwant\n%s", body, want)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			t.Parallel()
			f := newExportFixture(t, tt.format, fields)
			if err := f.deliver("o1"); err != nil {
				t.Fatalf("deliver: %v", err)
			}
			key, obj := f.object(t)
			if key != tt.key || obj.ct != tt.ct {
				t.Errorf("exported %s (%s), want %s (%s)", key, obj.ct, tt.key, tt.ct)
			}
			tt.check(t, f, obj.data)
			f.wantRecorded(t, "")
			if len(f.marks.ids) != 1 || f.marks.ids[0] != "o1/d1" {
				t.Errorf("marked %v, want o1/d1", f.marks.ids)
			}
		})
	}
}

func TestExportPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, path, copyID string
		now                func() time.Time // set: no event time, the clock is used
		want, bad          string
	}{
		{name: "default", path: "", want: "o1/f1/2026/11/d1.json"},
		{name: "all placeholders", path: "{event}/{status}/{yyyy}{mm}{dd}{hh}/{copy}-{pen}.{ext}",
			want: "o1/document.validated/validated/2026112723/c7-AJX-AAB.json"},
		// A value cannot add segments to the path, nor climb out of the
		// org's prefix.
		{name: "hostile copy", path: "{copy}/{document}.{ext}", copyID: "../../o2/x", want: "o1/_._.._o2_x/d1.json"},
		{name: "no event time", path: "{yyyy}/{document}.{ext}", want: "o1/2031/d1.json",
			now: func() time.Time { return time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{name: "bad template", path: "../{document}", bad: "export path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newExportFixture(t, "json", nil)
			f.handler.Path = tt.path
			if tt.copyID != "" {
				f.doc.CopyID = tt.copyID
			}
			if tt.now != nil {
				f.args.EventAt, f.e.Now = time.Time{}, tt.now
			}
			err := f.deliver("o1")
			if tt.bad != "" {
				if err == nil || !strings.Contains(err.Error(), tt.bad) || len(f.target.keys()) != 0 {
					t.Fatalf("deliver: %v, stored %v; want an error about %q and nothing stored", err, f.target.keys(), tt.bad)
				}
				f.wantRecorded(t, tt.bad)
				return
			}
			if err != nil {
				t.Fatalf("deliver: %v", err)
			}
			if key, _ := f.object(t); key != tt.want {
				t.Errorf("exported to %s, want %s", key, tt.want)
			}
		})
	}
}

// TestExportOrgPrefix: two orgs whose subscriptions have the same path write
// to the same target under their own prefixes, never over each other.
func TestExportOrgPrefix(t *testing.T) {
	t.Parallel()
	a, b := newExportFixture(t, "json", nil), newExportFixture(t, "json", nil)
	b.handler.OrgID, b.doc.OrgID = "o2", "o2"
	b.e.Targets["archive"] = a.target
	if err := a.deliver("o1"); err != nil {
		t.Fatal(err)
	}
	if err := b.deliver("o2"); err != nil {
		t.Fatal(err)
	}
	if got, want := a.target.keys(), []string{"o1/f1/2026/11/d1.json", "o2/f1/2026/11/d1.json"}; !slices.Equal(got, want) {
		t.Errorf("target holds %v, want %v", got, want)
	}
}

func TestExportCSVInjection(t *testing.T) {
	t.Parallel()
	tests := []struct {
		value any
		want  string
	}{
		{"=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"},
		{"+1+2", "'+1+2"},
		{"-5", "'-5"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"a=1", "a=1"},
		{"", ""},
		{nil, ""},
		{false, "false"},
		{[]string{"=red", "blue"}, "'=red;blue"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.value), func(t *testing.T) {
			t.Parallel()
			f := newExportFixture(t, "csv", map[string]inkform.FieldValue{"patient": {Value: tt.value}})
			if err := f.deliver("o1"); err != nil {
				t.Fatal(err)
			}
			_, obj := f.object(t)
			recs, err := csv.NewReader(bytes.NewReader(obj.data)).ReadAll()
			if err != nil || len(recs) != 2 {
				t.Fatalf("exported CSV %q: %d records, %v", obj.data, len(recs), err)
			}
			col := slices.Index(recs[0], "patient")
			if col < 0 || recs[1][col] != tt.want {
				t.Errorf("cell %q, want %q", recs[1][col], tt.want)
			}
		})
	}
}

func TestExportFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		format  string
		setup   func(f *exportFixture)
		code    string
		errPart string // "" when nothing is recorded
	}{
		{name: "unknown target", format: "json", setup: func(f *exportFixture) { f.handler.Target = "nowhere" },
			code: inkform.EUNPROCESSABLE, errPart: `export target "nowhere" is not configured on this server`},
		{name: "no render", format: "pdf", setup: func(f *exportFixture) { f.e.Renders = oneRender{} },
			code: inkform.EUNAVAILABLE, errPart: "no PDF of its current state"},
		{name: "stale render", format: "pdf", setup: func(f *exportFixture) { f.doc.UpdatedAt = f.doc.UpdatedAt.Add(time.Second) },
			code: inkform.EUNAVAILABLE, errPart: "no PDF of its current state"},
		{name: "pdf gone from the store", format: "pdf", setup: func(f *exportFixture) { f.e.Blobs = newMemBlobs() },
			code: inkform.EUNAVAILABLE, errPart: "missing from the store"},
		{name: "handler gone", format: "json", setup: func(f *exportFixture) { f.args.SubscriptionID = "h2" }, code: inkform.ENOTFOUND},
		{name: "document gone", format: "json", setup: func(f *exportFixture) { f.args.DocumentID = "d2" }, code: inkform.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newExportFixture(t, tt.format, nil)
			tt.setup(f)
			err := f.deliver("o1")
			if inkform.ErrorCode(err) != tt.code {
				t.Fatalf("deliver: %v, want code %s", err, tt.code)
			}
			if keys := f.target.keys(); len(keys) != 0 {
				t.Errorf("a failed export stored %v", keys)
			}
			if len(f.marks.ids) != 0 {
				t.Errorf("a failed export marked %v", f.marks.ids)
			}
			if tt.errPart == "" {
				if rec := f.store.recorded(); len(rec) != 0 {
					t.Errorf("recorded %+v for a handler or document that is gone", rec)
				}
				return
			}
			f.wantRecorded(t, tt.errPart)
		})
	}
}
