package deliver

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"text/template"
	"time"

	"github.com/inkform/inkform"
)

// MaxAttachmentBytes bounds the PDF attached to a mail; most submission
// servers refuse messages much over 25 MB, and base64 adds a third.
const MaxAttachmentBytes = 15 << 20

// maxRenderedBody bounds a body after its template ran, so that a range
// over values cannot make a mail of any size.
const maxRenderedBody = 1 << 20

// FormFinder reads the version of a form a document was written on. When
// it also has FindForm (the latest version), as sqlstore.DB does, a
// document.purged mail can name the form.
type FormFinder interface {
	FindFormVersion(ctx context.Context, orgID, formID string, version int) (*inkform.Form, error)
}

// latestFormFinder is the optional FindForm of a FormFinder.
type latestFormFinder interface {
	FindForm(ctx context.Context, orgID, formID string) (*inkform.Form, error)
}

// Mailer sends the deliveries of e-mail subscriptions and records every attempt
// in the subscription's log.
type Mailer struct {
	Subscriptions inkform.SubscriptionStore
	Documents     DocumentFinder
	Forms         FormFinder
	Renders       inkform.RenderStore
	Blobs         inkform.BlobStore
	// SMTP is the operator's server; nil fails every attempt, recorded,
	// so the subscription's log says why no mail came.
	SMTP *SMTP
	// BaseURL prefixes the links in a mail ("" gives absolute paths).
	BaseURL string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Deliver mails one event to the subscription's recipients, with the
// document's current PDF attached when the event waits for it, and
// records the attempt (its status code is the SMTP reply's). A subscription,
// document or form that is gone is an ENOTFOUND error, not recorded; a
// refusal no retry will mend wraps ErrPermanent.
func (m *Mailer) Deliver(ctx context.Context, orgID string, args inkform.DeliverArgs, n int) error {
	h, err := m.Subscriptions.FindSubscription(ctx, orgID, args.SubscriptionID)
	if err != nil {
		return fmt.Errorf("find handler: %w", err)
	}
	if h.Type != inkform.SubscriptionEmail {
		return fmt.Errorf("mail delivery: handler %s is a %s handler", h.ID, h.Type)
	}
	data, err := m.emailData(ctx, orgID, args)
	if err != nil {
		return err
	}
	a := startAttempt(m.Subscriptions, orgID, args, n, m.Now)
	mail, err := m.compose(ctx, orgID, h, args, data)
	if err != nil {
		return a.finish(ctx, 0, err)
	}
	if m.SMTP == nil {
		return a.finish(ctx, 0, fmt.Errorf("mail delivery: the server has no SMTP server configured"))
	}
	code, err := m.SMTP.Send(ctx, mail)
	return a.finish(ctx, code, err)
}

// emailData reads what the templates see. A purged document is gone, so
// its data is what the event carries, with no values and no links.
func (m *Mailer) emailData(ctx context.Context, orgID string, args inkform.DeliverArgs) (*inkform.EmailData, error) {
	if args.Event == inkform.EventDocumentPurged {
		p := args.Purged
		if p == nil {
			return nil, fmt.Errorf("purged event without its record")
		}
		form, err := m.purgedForm(ctx, orgID, p.FormID)
		if err != nil {
			return nil, err
		}
		doc := &inkform.Document{ID: p.ID, OrgID: orgID, FormID: p.FormID, Status: "purged"}
		return &inkform.EmailData{Event: args.Event, Form: form, Document: doc, Values: map[string]string{}}, nil
	}
	doc, err := m.Documents.FindDocument(ctx, orgID, args.DocumentID)
	if err != nil {
		return nil, fmt.Errorf("find document: %w", err)
	}
	form, err := m.Forms.FindFormVersion(ctx, orgID, doc.FormID, doc.FormVersion)
	if err != nil {
		return nil, fmt.Errorf("find form: %w", err)
	}
	return &inkform.EmailData{
		Event: args.Event, Form: form, Document: doc,
		Values: valuesText(form, doc), Links: DocumentLinks(m.BaseURL, doc),
	}, nil
}

// purgedForm returns the latest version of a purged document's form, or,
// when it cannot be read or is gone too, a form holding just its ID (as
// its name too), so that {{.Form.Name}} still says something.
func (m *Mailer) purgedForm(ctx context.Context, orgID, formID string) (*inkform.Form, error) {
	if lf, ok := m.Forms.(latestFormFinder); ok {
		f, err := lf.FindForm(ctx, orgID, formID)
		if err == nil {
			return f, nil
		}
		if inkform.ErrorCode(err) != inkform.ENOTFOUND {
			return nil, fmt.Errorf("find form: %w", err)
		}
	}
	return &inkform.Form{ID: formID, OrgID: orgID, FormTemplate: inkform.FormTemplate{Name: formID}}, nil
}

// compose renders the subscription's templates and attaches the PDF when the
// event waits for it.
func (m *Mailer) compose(ctx context.Context, orgID string, h *inkform.Subscription, args inkform.DeliverArgs, data *inkform.EmailData) (*Mail, error) {
	subjectT, bodyT, err := inkform.EmailTemplates(h)
	if err != nil {
		return nil, err
	}
	subject, err := render(subjectT, data)
	if err != nil {
		return nil, fmt.Errorf("e-mail subject: %w", err)
	}
	body, err := render(bodyT, data)
	if err != nil {
		return nil, fmt.Errorf("e-mail body: %w", err)
	}
	mail := &Mail{To: h.To, Subject: subject, Text: body, MessageID: args.MessageID}
	if inkform.EventWaitsForPDF(args.Event) {
		pdf, err := m.pdf(ctx, orgID, data.Document)
		if err != nil {
			return nil, err
		}
		mail.Attachments = []Attachment{{Name: AttachmentName(data.Form.Name, data.Document.ID), ContentType: "application/pdf", Data: pdf}}
	}
	return mail, nil
}

// render runs a template, bounding its output.
func render(t *template.Template, data *inkform.EmailData) (string, error) {
	var b bytes.Buffer
	if err := t.Execute(&limitedWriter{w: &b, n: maxRenderedBody}, data); err != nil {
		return "", err
	}
	return b.String(), nil
}

// limitedWriter fails a write that goes past n bytes.
type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if len(p) > l.n {
		return 0, fmt.Errorf("longer than %d bytes", maxRenderedBody)
	}
	l.n -= len(p)
	return l.w.Write(p)
}

// pdf reads the document's current PDF. The worker waits for it before a
// delivery, so a missing or stale one is a failure; it is not ENOTFOUND,
// which would cancel the job, since the PDF may yet be made.
func (m *Mailer) pdf(ctx context.Context, orgID string, doc *inkform.Document) ([]byte, error) {
	r, err := m.Renders.FindRender(ctx, orgID, doc.ID)
	switch {
	case inkform.ErrorCode(err) == inkform.ENOTFOUND:
		return nil, fmt.Errorf("document %s has no PDF yet", doc.ID)
	case err != nil:
		return nil, fmt.Errorf("find render: %w", err)
	case !r.Current(doc):
		return nil, fmt.Errorf("the PDF of document %s is older than the document", doc.ID)
	}
	rc, _, err := m.Blobs.Get(ctx, r.Key)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		return nil, fmt.Errorf("the PDF of document %s is missing from the blob store", doc.ID)
	} else if err != nil {
		return nil, fmt.Errorf("read pdf: %w", err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, MaxAttachmentBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read pdf: %w", err)
	}
	if len(b) > MaxAttachmentBytes {
		return nil, fmt.Errorf("the PDF of document %s is larger than %d bytes, too large to attach", doc.ID, MaxAttachmentBytes)
	}
	return b, nil
}

// AttachmentName returns the name of a document's PDF in a mail:
// "<form name>-<document id>.pdf", the form name cut to 60 bytes with
// runs of characters other than ASCII letters, digits, '.', '_' and '-'
// made one '_', so every mail client shows the same safe name.
func AttachmentName(formName, documentID string) string {
	var b strings.Builder
	under := false
	for _, r := range formName {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
		switch {
		case ok:
			b.WriteRune(r)
			under = false
		case !under:
			b.WriteByte('_')
			under = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	name := strings.Trim(b.String(), "._-")
	if name == "" {
		name = "document"
	}
	return name + "-" + documentID + ".pdf"
}

// valuesText returns each field's value as text: every field of the form
// (empty when it has no value) and any other value the document holds.
func valuesText(form *inkform.Form, doc *inkform.Document) map[string]string {
	out := make(map[string]string, len(form.Fields)+len(doc.Fields))
	for _, f := range form.Fields {
		out[f.Name] = ""
	}
	for name, v := range doc.Fields {
		out[name] = inkform.ValueText(v.Value)
	}
	return out
}
