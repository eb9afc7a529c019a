package deliver_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/deliver"
	"github.com/inkform/inkform/fake"
)

// mailDeps serves one form version, one render and its PDF to a Mailer.
type mailDeps struct {
	form   *inkform.Form
	render *inkform.DocumentRender // nil: never rendered
	key    string                  // the blob key holding pdf
	pdf    []byte
}

func (d *mailDeps) FindFormVersion(_ context.Context, org, id string, v int) (*inkform.Form, error) {
	if org != d.form.OrgID || id != d.form.ID || v != d.form.Version {
		return nil, inkform.Errorf(inkform.ENOTFOUND, "form not found")
	}
	return d.form, nil
}

func (d *mailDeps) FindRender(_ context.Context, org, id string) (*inkform.DocumentRender, error) {
	if d.render == nil || org != d.form.OrgID || id != d.render.DocumentID {
		return nil, inkform.Errorf(inkform.ENOTFOUND, "render not found")
	}
	return d.render, nil
}

func (d *mailDeps) SaveRender(context.Context, string, *inkform.DocumentRender) (bool, error) {
	return false, errors.New("not used")
}

func (d *mailDeps) RequestRender(context.Context, string, string) error {
	return errors.New("not used")
}

func (d *mailDeps) Get(_ context.Context, key string) (io.ReadCloser, *inkform.BlobInfo, error) {
	if key != d.key {
		return nil, nil, inkform.Errorf(inkform.ENOTFOUND, "no object")
	}
	return io.NopCloser(bytes.NewReader(d.pdf)), &inkform.BlobInfo{Key: key, Size: int64(len(d.pdf))}, nil
}

func (d *mailDeps) Put(context.Context, string, io.Reader, int64, string) error {
	return errors.New("not used")
}

func (d *mailDeps) Stat(context.Context, string) (*inkform.BlobInfo, error) {
	return nil, errors.New("not used")
}

func (d *mailDeps) Delete(context.Context, string) error { return errors.New("not used") }

func (d *mailDeps) List(context.Context, string, func(inkform.BlobInfo) error) error {
	return errors.New("not used")
}

// latestForm adds the optional FindForm to mailDeps.
type latestForm struct{ *mailDeps }

func (l latestForm) FindForm(_ context.Context, org, id string) (*inkform.Form, error) {
	return l.FindFormVersion(context.Background(), org, id, l.form.Version)
}

// mailFixture is a Mailer for one e-mail subscription of form "Intake" with a
// validated document d1 and its current PDF.
type mailFixture struct {
	m     *deliver.Mailer
	store *oneSubscription
	docs  *fake.Documents
	deps  *mailDeps
	doc   *inkform.Document
	args  inkform.DeliverArgs
}

func newMailFixture(s *deliver.SMTP) *mailFixture {
	updated := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	form := &inkform.Form{ID: "f1", OrgID: "o1", Version: 2, FormTemplate: inkform.FormTemplate{Name: "Intake (Köln)",
		Fields: []inkform.Field{{Name: "patient"}, {Name: "consent"}, {Name: "smoker"}, {Name: "allergies"}, {Name: "empty"}}}}
	doc := &inkform.Document{ID: "d1", OrgID: "o1", FormID: "f1", FormVersion: 2, Status: inkform.StatusValidated, UpdatedAt: updated,
		Fields: map[string]inkform.FieldValue{
			"patient": {Value: "ANNA Müller"}, "consent": {Value: true}, "smoker": {Value: false},
			"allergies": {Value: []string{"nuts", "milk"}}, "tags": {Value: []any{"a", true, 2.5}}, "note": {Value: nil},
		}}
	pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0, 0xff, '\r', '\n', '.'}, 2000)...)
	deps := &mailDeps{form: form, pdf: pdf, key: "orgs/o1/documents/d1/pdf/1.pdf", render: &inkform.DocumentRender{DocumentID: "d1", SourceUpdatedAt: updated, Key: "orgs/o1/documents/d1/pdf/1.pdf"}}
	h := &inkform.Subscription{ID: "h1", OrgID: "o1", FormID: "f1", Type: inkform.SubscriptionEmail, To: []string{"desk@example.org"},
		Events:  []string{inkform.EventDocumentValidated},
		Subject: "{{.Form.Name}}: {{.Values.patient}} ({{.Document.Status}})",
		Body:    "{{range $k, $v := .Values}}{{$k}}={{$v}};{{end}}\npdf={{.Links.PDF}} event={{.Event}}\n"}
	store, docs := newOneSubscription(h, ""), oneDoc(doc)
	m := &deliver.Mailer{Subscriptions: store, Documents: docs, Forms: deps, Renders: deps, Blobs: deps,
		SMTP: s, BaseURL: "https://inkform.example"}
	args := inkform.DeliverArgs{SubscriptionID: "h1", DocumentID: "d1", Event: inkform.EventDocumentValidated, MessageID: "msg_m1", EventAt: updated}
	return &mailFixture{m: m, store: store, docs: docs, deps: deps, doc: doc, args: args}
}

// deliver stores the fixture's subscription and document as they are now
// (a case may have changed them) and delivers the event.
func (fx *mailFixture) deliver(attempt int) error {
	fx.store.save()
	fx.docs.Put(fx.doc, nil)
	return fx.m.Deliver(context.Background(), "o1", fx.args, attempt)
}

func TestMailerDeliver(t *testing.T) {
	t.Parallel()
	f := newFakeSMTP(t, nil)
	fx := newMailFixture(fakeClient(t, f, "smtp://user:s3cret-pass@127.0.0.1:PORT"))
	if err := fx.deliver(3); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	raw := bytes.ReplaceAll(f.data, []byte("\n"), []byte("\r\n"))
	f.mu.Unlock()
	p := parseMail(t, raw)
	if p.subject != "Intake (Köln): ANNA Müller (validated)" || p.header.Get("To") != "desk@example.org" ||
		p.header.Get("Message-Id") != "<msg_m1@inkform>" {
		t.Errorf("subject %q, headers %v", p.subject, p.header)
	}
	wantText := "allergies=nuts, milk;consent=yes;empty=;note=;patient=ANNA Müller;smoker=no;tags=a, yes, 2.5;\r\n" +
		"pdf=https://inkform.example/api/v1/documents/d1/pdf event=document.validated\r\n"
	if p.text != wantText {
		t.Errorf("text %q, want %q", p.text, wantText)
	}
	if len(p.files) != 1 || p.files[0].name != "Intake_K_ln-d1.pdf" || !strings.HasPrefix(p.files[0].contentType, "application/pdf") ||
		!bytes.Equal(p.files[0].data, fx.deps.pdf) {
		t.Errorf("attachments %+v", p.files)
	}
	rec := fx.store.recorded()
	if len(rec) != 1 || rec[0].StatusCode != 250 || rec[0].Attempt != 3 || rec[0].Error != "" || rec[0].MessageID != "msg_m1" {
		t.Errorf("recorded %+v", rec)
	}
}

func TestMailerDeliverFailures(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		change    func(*mailFixture)
		smtpCodes map[string]int
		wantErr   string
		notFound  bool // ENOTFOUND, nothing recorded
		permanent bool
		wantCode  int // recorded status code
	}{
		{"handler gone", func(fx *mailFixture) { fx.args.SubscriptionID = "h2" }, nil, "find handler", true, false, 0},
		{"document gone", func(fx *mailFixture) { fx.args.DocumentID = "d2" }, nil, "find document", true, false, 0},
		{"form version gone", func(fx *mailFixture) { fx.doc.FormVersion = 1 }, nil, "find form", true, false, 0},
		{"never rendered", func(fx *mailFixture) { fx.deps.render = nil }, nil, "no PDF yet", false, false, 0},
		{"stale render", func(fx *mailFixture) { fx.doc.UpdatedAt = fx.doc.UpdatedAt.Add(time.Second) }, nil, "older than the document", false, false, 0},
		{"pdf object missing", func(fx *mailFixture) { fx.deps.render.Key = "elsewhere" }, nil, "missing from the blob store", false, false, 0},
		{"template fails", func(fx *mailFixture) { fx.store.h.Body = "{{.Form.Nope}}" }, nil, "e-mail body", false, false, 0},
		{"no smtp server", func(fx *mailFixture) { fx.m.SMTP = nil }, nil, "no SMTP server", false, false, 0},
		{"recipient refused", nil, map[string]int{"RCPT": 550}, "rcpt to desk@example.org", false, true, 550},
		{"server busy", nil, map[string]int{"MAIL": 421}, "mail from", false, false, 421},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeSMTP(t, func(f *fakeSMTP) { f.codes = tc.smtpCodes })
			if f.codes == nil {
				f.codes = map[string]int{}
			}
			fx := newMailFixture(fakeClient(t, f, "smtp://127.0.0.1:PORT"))
			if tc.change != nil {
				tc.change(fx)
			}
			err := fx.deliver(1)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Deliver: %v, want an error naming %q", err, tc.wantErr)
			}
			if got := inkform.ErrorCode(err) == inkform.ENOTFOUND; got != tc.notFound {
				t.Errorf("ENOTFOUND %v, want %v (%v)", got, tc.notFound, err)
			}
			if errors.Is(err, deliver.ErrPermanent) != tc.permanent {
				t.Errorf("ErrPermanent %v, want %v", !tc.permanent, tc.permanent)
			}
			rec := fx.store.recorded()
			switch {
			case tc.notFound && len(rec) != 0:
				t.Errorf("recorded %+v", rec)
			case !tc.notFound && (len(rec) != 1 || rec[0].StatusCode != tc.wantCode || !strings.Contains(rec[0].Error, tc.wantErr)):
				t.Errorf("recorded %+v, want code %d", rec, tc.wantCode)
			}
			if tc.wantCode == 0 && strings.Contains(f.seen(), "DATA") {
				t.Errorf("mail sent: %q", f.seen())
			}
		})
	}
}

func TestMailerWithoutPDF(t *testing.T) {
	t.Parallel()
	purgedAt := time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC)
	cases := []struct {
		name, event, wantSubject string
		latest                   bool
	}{
		{"received", inkform.EventDocumentReceived, "Intake (Köln): document d1 validated", false},
		{"purged, form found", inkform.EventDocumentPurged, "Intake (Köln): document d1 purged", true},
		{"purged, form unknown", inkform.EventDocumentPurged, "f1: document d1 purged", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeSMTP(t, nil)
			fx := newMailFixture(fakeClient(t, f, "smtp://127.0.0.1:PORT"))
			fx.store.h.Subject, fx.store.h.Body = "", "" // the defaults
			fx.deps.render = nil                         // no PDF is needed
			fx.args.Event = tc.event
			if tc.latest {
				fx.m.Forms = latestForm{fx.deps}
			}
			if tc.event == inkform.EventDocumentPurged {
				fx.m.Documents = nil // a purged document is not read
				fx.args.Purged = &inkform.PurgedRecord{ID: "d1", FormID: "f1", Status: "purged", PurgedAt: purgedAt}
			}
			if err := fx.deliver(1); err != nil {
				t.Fatal(err)
			}
			f.mu.Lock()
			p := parseMail(t, bytes.ReplaceAll(f.data, []byte("\n"), []byte("\r\n")))
			f.mu.Unlock()
			if p.subject != tc.wantSubject || len(p.files) != 0 || !strings.Contains(p.text, "Document: d1\r\n") {
				t.Errorf("subject %q, %d attachments, text %q", p.subject, len(p.files), p.text)
			}
			if tc.event == inkform.EventDocumentPurged && strings.Contains(p.text, "ANNA") {
				t.Errorf("a purged document's values are in the mail: %q", p.text)
			}
		})
	}
}
