package deliver_test

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform/deliver"
)

// parsedMail is a message read back with net/mail and mime/multipart.
type parsedMail struct {
	header  mail.Header
	subject string // decoded
	text    string // decoded
	files   []parsedFile
}

type parsedFile struct {
	name, contentType string
	data              []byte
}

// parseMail reads a built message as a mail client would.
func parseMail(t *testing.T, raw []byte) parsedMail {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read message: %v\n%s", err, raw)
	}
	p := parsedMail{header: msg.Header}
	if p.subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatalf("subject: %v", err)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	if mediaType == "text/plain" {
		// multipart.Reader decodes quoted-printable parts; a lone body
		// is decoded here as a client would.
		b, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
		if err != nil {
			t.Fatal(err)
		}
		p.text = string(b)
		return p
	}
	if mediaType != "multipart/mixed" {
		t.Fatalf("content type %q", mediaType)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for i := 0; ; i++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(part)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if ct := part.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
				t.Errorf("first part is %q", ct)
			}
			p.text = string(b)
			continue
		}
		if part.Header.Get("Content-Transfer-Encoding") != "base64" {
			t.Errorf("attachment encoding %q", part.Header.Get("Content-Transfer-Encoding"))
		}
		for _, line := range strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n") {
			if len(line) > 76 {
				t.Errorf("base64 line of %d characters", len(line))
			}
		}
		data, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, bytes.NewReader(b)))
		if err != nil {
			t.Fatal(err)
		}
		p.files = append(p.files, parsedFile{name: part.FileName(), contentType: part.Header.Get("Content-Type"), data: data})
	}
	return p
}

func TestBuildMessage(t *testing.T) {
	t.Parallel()
	pdf := bytes.Repeat([]byte("%PDF-1.7\x00\xff binary\r\n.\n"), 300)
	date := time.Date(2026, 11, 27, 14, 5, 0, 0, time.FixedZone("CET", 3600))
	cases := []struct {
		name, subject, wantSubject, text, wantText string
		files                                      []deliver.Attachment
	}{
		{"text only", "Intake d1", "Intake d1", "Hello\nPatient: ANNA\n", "Hello\r\nPatient: ANNA\r\n", nil},
		{"utf-8 and a pdf", "Befund für Müller ✓", "Befund für Müller ✓", "Größe: 1,80 m\n.\nEnde =\n", "Größe: 1,80 m\r\n.\r\nEnde =\r\n",
			[]deliver.Attachment{{Name: "Intake-d1.pdf", ContentType: "application/pdf", Data: pdf}}},
		// 500 bytes would end inside a "ü": the subject is cut before it.
		{"long utf-8 subject", strings.Repeat("xü", 300), strings.Repeat("xü", 166) + "x",
			strings.Repeat("x", 200), strings.Repeat("x", 200),
			[]deliver.Attachment{{Name: "a.txt", ContentType: "text/plain", Data: []byte("a")}, {Name: "b.pdf", ContentType: "application/pdf", Data: pdf[:77]}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := &deliver.Mail{To: []string{"a@example.org", "b@example.org"}, Subject: tc.subject, Text: tc.text, Attachments: tc.files, MessageID: "msg_01J/x"}
			raw, err := m.Build("Inkform <forms@example.org>", date)
			if err != nil {
				t.Fatal(err)
			}
			head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
			for i, line := range strings.SplitAfter(string(raw), "\n") {
				if line != "" && !strings.HasSuffix(line, "\r\n") || strings.Count(line, "\r") > 1 {
					t.Errorf("line %d %q does not end in CRLF", i, line)
				}
				if len(line) > 998 {
					t.Errorf("line %d is %d bytes", i, len(line))
				}
			}
			// A long subject is folded between encoded words.
			if len(tc.subject) > 100 && !bytes.Contains(head, []byte("?=\r\n =?")) {
				t.Errorf("long subject not folded:\n%s", head)
			}
			p := parseMail(t, raw)
			h := p.header
			if h.Get("From") != `"Inkform" <forms@example.org>` || h.Get("To") != "a@example.org, b@example.org" ||
				h.Get("Message-ID") != "<msg_01J_x@inkform>" || h.Get("MIME-Version") != "1.0" ||
				h.Get("Auto-Submitted") != "auto-generated" {
				t.Errorf("headers %v", h)
			}
			if d, err := h.Date(); err != nil || !d.Equal(date) {
				t.Errorf("Date %q: %v", h.Get("Date"), err)
			}
			if p.subject != tc.wantSubject {
				t.Errorf("subject %q, want %q", p.subject, tc.wantSubject)
			}
			if p.text != tc.wantText {
				t.Errorf("text %q, want %q", p.text, tc.wantText)
			}
			if len(p.files) != len(tc.files) {
				t.Fatalf("%d attachments, want %d", len(p.files), len(tc.files))
			}
			for i, f := range tc.files {
				got := p.files[i]
				if got.name != f.Name || !strings.HasPrefix(got.contentType, f.ContentType+";") || !bytes.Equal(got.data, f.Data) {
					t.Errorf("attachment %d: %q %q %d bytes, want %q %q %d bytes", i, got.name, got.contentType, len(got.data), f.Name, f.ContentType, len(f.Data))
				}
			}
		})
	}
}

func TestBuildRefusesHeaderInjection(t *testing.T) {
	t.Parallel()
	subjects := []string{
		"Hi\r\nBcc: evil@example.org",
		"Hi\nBcc: evil@example.org",
		"Hi\rBcc: evil@example.org",
		"Hi\r\n\r\nBcc: evil@example.org",
		"Hï\r\nBcc: evil@example.org",
		"Hi\u0085Bcc: evil@example.org",
	}
	for _, s := range subjects {
		t.Run(s, func(t *testing.T) {
			t.Parallel()
			m := &deliver.Mail{To: []string{"a@example.org"}, Subject: s, Text: "body",
				Attachments: []deliver.Attachment{{Name: "x\r\nBcc: evil@example.org.pdf", ContentType: "application/pdf", Data: []byte("%PDF")}}}
			raw, err := m.Build("forms@example.org", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			p := parseMail(t, raw)
			var keys []string
			for k := range p.header {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			want := []string{"Auto-Submitted", "Content-Type", "Date", "From", "Message-Id", "Mime-Version", "Subject", "To"}
			if !slices.Equal(keys, want) {
				t.Errorf("header keys %v, want %v", keys, want)
			}
			if strings.ContainsAny(p.subject, "\r\n") || !strings.Contains(p.subject, "Bcc: evil@example.org") {
				t.Errorf("subject %q", p.subject)
			}
			if len(p.files) != 1 || strings.ContainsAny(p.files[0].name, "\r\n") {
				t.Errorf("attachments %+v", p.files)
			}
		})
	}
	for _, to := range []string{"a@example.org\r\nBcc: evil@example.org", "A <a@example.org>", "a@example.org, b@example.org", ""} {
		m := &deliver.Mail{To: []string{to}, Subject: "s", Text: "t"}
		if _, err := m.Build("forms@example.org", time.Now()); err == nil {
			t.Errorf("recipient %q accepted", to)
		}
	}
}

func FuzzBuildSubject(f *testing.F) {
	for _, s := range []string{"Hello", "Hi\r\nBcc: x@example.org", "Befund für Müller", "=?utf-8?q?x?=", "a\x00b"} {
		f.Add(s, "x.pdf")
	}
	f.Fuzz(func(t *testing.T, subject, name string) {
		m := &deliver.Mail{To: []string{"a@example.org"}, Subject: subject, Text: subject,
			Attachments: []deliver.Attachment{{Name: name, ContentType: "application/pdf", Data: []byte(subject)}}}
		raw, err := m.Build("forms@example.org", time.Unix(0, 0))
		if err != nil {
			t.Fatal(err)
		}
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("read back: %v", err)
		}
		// Whatever the subject and file name, the header keeps its keys.
		if len(msg.Header) != 8 || msg.Header.Get("Bcc") != "" || strings.ContainsAny(msg.Header.Get("Subject"), "\r\n") {
			t.Fatalf("header %v from subject %q", msg.Header, subject)
		}
	})
}

func TestAttachmentName(t *testing.T) {
	t.Parallel()
	cases := []struct{ form, want string }{
		{"Intake", "Intake-d1.pdf"},
		{"Aufnahme / Köln (2026)", "Aufnahme_K_ln_2026-d1.pdf"},
		{"../../etc/passwd", "etc_passwd-d1.pdf"},
		{"a\r\nBcc: x", "a_Bcc_x-d1.pdf"},
		{"", "document-d1.pdf"},
		{"✓✓", "document-d1.pdf"},
		{strings.Repeat("x", 100), strings.Repeat("x", 60) + "-d1.pdf"},
	}
	for _, tc := range cases {
		if got := deliver.AttachmentName(tc.form, "d1"); got != tc.want {
			t.Errorf("AttachmentName(%q) = %q, want %q", tc.form, got, tc.want)
		}
	}
}
