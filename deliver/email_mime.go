package deliver

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/inkform/inkform"
)

// Mail is one message to send: plain text with attachments.
type Mail struct {
	// To holds plain addresses (name@example.org, no display names).
	To []string
	// Subject is made one line: line breaks and other control characters
	// become spaces, so no value can add a header.
	Subject string
	Text    string
	// Attachments follow the text, each base64-encoded.
	Attachments []Attachment
	// MessageID is the delivery's message ID: the Message-ID header is
	// <MessageID@inkform>, the same on every retry, so a mail client can
	// drop a duplicate.
	MessageID string
}

// Attachment is a file attached to a mail.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Build returns the message as RFC 5322 and MIME describe it, lines ending
// in CRLF: a text/plain body (quoted-printable UTF-8), as the first part of
// a multipart/mixed message when there are attachments. from is the From
// header; date the Date header.
func (m *Mail) Build(from string, date time.Time) ([]byte, error) {
	fromAddr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail from: %w", err)
	}
	if len(m.To) == 0 {
		return nil, fmt.Errorf("mail has no recipient")
	}
	for _, to := range m.To {
		if !validRecipient(to) {
			return nil, fmt.Errorf("mail recipient %q is not a plain address", to)
		}
	}
	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", fromAddr.String())
	header("To", strings.Join(m.To, ", "))
	header("Subject", encodeSubject(m.Subject))
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", "<"+messageIDLeft(m.MessageID)+"@inkform>")
	header("MIME-Version", "1.0")
	// Tells vacation responders not to answer (RFC 3834).
	header("Auto-Submitted", "auto-generated")
	if len(m.Attachments) == 0 {
		header("Content-Type", "text/plain; charset=utf-8")
		header("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		if err := writeText(&b, m.Text); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	mw := multipart.NewWriter(&b)
	header("Content-Type", mime.FormatMediaType("multipart/mixed", map[string]string{"boundary": mw.Boundary()}))
	b.WriteString("\r\n")
	part, err := mw.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {"text/plain; charset=utf-8"},
		"Content-Transfer-Encoding": {"quoted-printable"},
	})
	if err != nil {
		return nil, fmt.Errorf("mail text: %w", err)
	}
	if err := writeText(part, m.Text); err != nil {
		return nil, err
	}
	for _, a := range m.Attachments {
		if err := writeAttachment(mw, a); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	return b.Bytes(), nil
}

// writeText writes text quoted-printable; the encoder turns every line
// break into CRLF.
func writeText(w interface{ Write([]byte) (int, error) }, text string) error {
	qp := quotedprintable.NewWriter(w)
	if _, err := qp.Write([]byte(strings.ToValidUTF8(text, "\uFFFD"))); err != nil {
		return fmt.Errorf("mail text: %w", err)
	}
	if err := qp.Close(); err != nil {
		return fmt.Errorf("mail text: %w", err)
	}
	return nil
}

// writeAttachment adds a base64 part in lines of 76 characters.
func writeAttachment(mw *multipart.Writer, a Attachment) error {
	ct := a.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	name := oneLine(a.Name)
	if name == "" {
		name = "attachment"
	}
	mediaType, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("attachment %q: content type: %w", name, err)
	}
	part, err := mw.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {mime.FormatMediaType(mediaType, map[string]string{"name": name})},
		"Content-Disposition":       {mime.FormatMediaType("attachment", map[string]string{"filename": name})},
		"Content-Transfer-Encoding": {"base64"},
	})
	if err != nil {
		return fmt.Errorf("attachment %q: %w", name, err)
	}
	enc := base64.StdEncoding.EncodeToString(a.Data)
	var lines strings.Builder
	lines.Grow(len(enc) + len(enc)/76*2 + 2)
	for len(enc) > 76 {
		lines.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	lines.WriteString(enc + "\r\n")
	if _, err := part.Write([]byte(lines.String())); err != nil {
		return fmt.Errorf("attachment %q: %w", name, err)
	}
	return nil
}

// oneLine makes s one line of valid UTF-8: control characters (CR and LF
// among them) become spaces.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	return strings.TrimSpace(s)
}

// encodeSubject returns the subject as a header value: one line, at most
// MaxEmailSubject bytes of text, Q-encoded when not ASCII and folded
// between encoded words so that no header line grows past 998 bytes.
func encodeSubject(s string) string {
	s = oneLine(s)
	if len(s) > inkform.MaxEmailSubject {
		cut := inkform.MaxEmailSubject
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	enc := mime.QEncoding.Encode("utf-8", s)
	if enc == s {
		return s
	}
	// Encoded words are separated by single spaces; a fold (CRLF SP) in
	// their place means the same.
	return strings.ReplaceAll(enc, "?= =?", "?=\r\n =?")
}

// messageIDLeft returns the left part of a Message-ID made from a delivery's
// message ID ("msg_…"): characters other than ASCII letters, digits, '_'
// and '-' become '_', which keeps it a valid dot-atom. An empty ID gets a
// random one.
func messageIDLeft(id string) string {
	if id == "" {
		b := make([]byte, 16)
		_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
		return hex.EncodeToString(b)
	}
	return strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-') {
			return r
		}
		return '_'
	}, id)
}
