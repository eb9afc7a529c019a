package deliver_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform/deliver"
)

func TestParseSMTP(t *testing.T) {
	t.Parallel()
	const from = "Inkform <forms@example.org>"
	ok := []struct {
		url, host, mode, user string
		port                  int
	}{
		{"smtp://u:s3cret@mail.example.org:2525", "mail.example.org", deliver.SMTPStartTLS, "u", 2525},
		{"smtp://u:s3cret@mail.example.org", "mail.example.org", deliver.SMTPStartTLS, "u", 587},
		{"smtp://mail.example.org?tls=starttls", "mail.example.org", deliver.SMTPStartTLS, "", 587},
		{"smtps://u%40x:s3cret@mail.example.org", "mail.example.org", deliver.SMTPTLS, "u@x", 465},
		{"smtps://u:s3cret@mail.example.org:4650/", "mail.example.org", deliver.SMTPTLS, "u", 4650},
		{"smtp://127.0.0.1:25?tls=none", "127.0.0.1", deliver.SMTPNone, "", 25},
		{"smtp://localhost:1025?tls=none", "localhost", deliver.SMTPNone, "", 1025},
		{"smtp://[::1]:25?tls=none", "::1", deliver.SMTPNone, "", 25},
	}
	for _, tc := range ok {
		t.Run(tc.url, func(t *testing.T) {
			t.Parallel()
			s, err := deliver.ParseSMTP(tc.url, from)
			if err != nil {
				t.Fatal(err)
			}
			if s.Host != tc.host || s.Port != tc.port || s.Mode != tc.mode || s.Username != tc.user || s.From != `"Inkform" <forms@example.org>` {
				t.Errorf("got %#v %q %q", s, s.Username, s.From)
			}
			if tc.user != "" && s.Password != "s3cret" {
				t.Errorf("password %q", s.Password)
			}
		})
	}
	bad := []struct{ url, from, want string }{
		{"smtp://mail.example.org:25?tls=none", from, "loopback"},
		{"smtp://10.0.0.1?tls=none", from, "loopback"},
		{"smtps://127.0.0.1?tls=none", from, "tls="},
		{"smtp://u:s3cret@127.0.0.1?tls=none", from, "cannot carry"},
		{"smtp://u:s3cret@mail.example.org?tls=off", from, "tls="},
		{"smtp://u:s3cret@mail.example.org?tsl=none", from, "unknown option"},
		{"http://u:s3cret@mail.example.org", from, "scheme"},
		{"mail.example.org:587", from, "scheme"},
		{"smtp://u:s3cret@:587", from, "no host"},
		{"smtp://u:s3cret@mail.example.org:0", from, "port"},
		{"smtp://u:s3cret@mail.example.org:99999", from, "port"},
		{"smtp://u:s3cret@mail.example.org:abc", from, "port"},
		{"smtp://u:s3cret@mail.example.org/x", from, "path"},
		{"smtp://:s3cret@mail.example.org", from, "user name"},
		{"smtp://u:s3cret@mail.exa mple.org", from, "smtp url"},
		{"smtp://u:s3cret\x7f@mail.example.org", from, "smtp url"},
		{"smtp://u:s3cret@mail.example.org", "not an address", "smtp from"},
		{"smtp://u:s3cret@mail.example.org", "", "smtp from"},
	}
	for _, tc := range bad {
		t.Run(tc.url, func(t *testing.T) {
			t.Parallel()
			_, err := deliver.ParseSMTP(tc.url, tc.from)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want one naming %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q holds the password", err)
			}
		})
	}
}

func TestSMTPHidesPassword(t *testing.T) {
	t.Parallel()
	s, err := deliver.ParseSMTP("smtps://user:s3cret@mail.example.org", "forms@example.org")
	if err != nil {
		t.Fatal(err)
	}
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("smtp", "server", s, "value", *s)
	for _, out := range []string{fmt.Sprint(s), fmt.Sprintf("%+v %#v %v", *s, *s, s), logged.String()} {
		if strings.Contains(out, "s3cret") || !strings.Contains(out, "smtps://user@mail.example.org:465") {
			t.Errorf("printed as %q", out)
		}
	}
}

// fakeClient returns an SMTP client for a fake server, trusting its
// certificate.
func fakeClient(t *testing.T, f *fakeSMTP, url string) *deliver.SMTP {
	t.Helper()
	s, err := deliver.ParseSMTP(strings.ReplaceAll(url, "PORT", f.port()), "forms@example.org")
	if err != nil {
		t.Fatal(err)
	}
	// The fake's certificate is self-signed; trust exactly that one.
	pool := x509.NewCertPool()
	pool.AddCert(f.tlsConfig.Certificates[0].Leaf)
	s.TLSConfig = &tls.Config{RootCAs: pool}
	return s
}

func testMail() *deliver.Mail {
	return &deliver.Mail{To: []string{"a@example.org", "b@example.org"}, Subject: "Hello", Text: "Body\n.\nend", MessageID: "msg_1"}
}

func TestSendModes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, url  string
		configure  func(*fakeSMTP)
		wantVerbs  string
		wantAuthed string
	}{
		{"starttls and auth", "smtp://user:s3cret-pass@127.0.0.1:PORT", nil,
			"EHLO STARTTLS TLS EHLO AUTH MAIL RCPT RCPT DATA QUIT", "user"},
		{"implicit tls and auth", "smtps://user:s3cret-pass@127.0.0.1:PORT", func(f *fakeSMTP) { f.implicitTLS = true },
			"TLS EHLO AUTH MAIL RCPT RCPT DATA QUIT", "user"},
		{"starttls without auth", "smtp://127.0.0.1:PORT", nil,
			"EHLO STARTTLS TLS EHLO MAIL RCPT RCPT DATA QUIT", ""},
		{"plain on loopback", "smtp://127.0.0.1:PORT?tls=none", func(f *fakeSMTP) { f.noSTARTTLS = true },
			"EHLO MAIL RCPT RCPT DATA QUIT", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeSMTP(t, tc.configure)
			code, err := fakeClient(t, f, tc.url).Send(context.Background(), testMail())
			if err != nil || code != 250 {
				t.Fatalf("Send = %d, %v", code, err)
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			if got := strings.Join(f.commands, " "); got != tc.wantVerbs {
				t.Errorf("verbs %q, want %q", got, tc.wantVerbs)
			}
			if f.authedAs != tc.wantAuthed || f.from != "FROM:<forms@example.org>" ||
				strings.Join(f.rcpts, ",") != "TO:<a@example.org>,TO:<b@example.org>" {
				t.Errorf("auth %q from %q rcpts %q", f.authedAs, f.from, f.rcpts)
			}
			// The fake reads the data undotted, with \n line ends.
			if !strings.Contains(string(f.data), "Subject: Hello\n") || !strings.Contains(string(f.data), "\nBody\n.\nend") {
				t.Errorf("data %q", f.data)
			}
		})
	}
}

func TestSendFailures(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, url  string
		configure  func(*fakeSMTP)
		wantCode   int
		permanent  bool
		wantErr    string
		notInVerbs string // a verb the server must not have seen
	}{
		{"no starttls offered", "smtp://user:s3cret-pass@127.0.0.1:PORT", func(f *fakeSMTP) { f.noSTARTTLS = true },
			0, false, "does not offer STARTTLS", "AUTH"},
		{"wrong password", "smtp://user:wrong@127.0.0.1:PORT", nil, 535, false, "auth as user", "MAIL"},
		{"recipient refused", "smtp://127.0.0.1:PORT", func(f *fakeSMTP) { f.codes["RCPT"] = 550 }, 550, true, "rcpt to a@example.org", "DATA"},
		{"recipient deferred", "smtp://127.0.0.1:PORT", func(f *fakeSMTP) { f.codes["RCPT"] = 451 }, 451, false, "rcpt to", "DATA"},
		{"sender refused", "smtp://127.0.0.1:PORT", func(f *fakeSMTP) { f.codes["MAIL"] = 553 }, 553, true, "mail from", "RCPT"},
		{"message refused", "smtp://127.0.0.1:PORT", func(f *fakeSMTP) { f.codes["DATA"] = 554 }, 554, true, "data", "QUIT"},
		{"message deferred", "smtp://127.0.0.1:PORT", func(f *fakeSMTP) { f.codes["DATA"] = 452 }, 452, false, "data", "QUIT"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeSMTP(t, tc.configure)
			code, err := fakeClient(t, f, tc.url).Send(context.Background(), testMail())
			if err == nil || code != tc.wantCode || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Send = %d, %v; want %d and an error naming %q", code, err, tc.wantCode, tc.wantErr)
			}
			if errors.Is(err, deliver.ErrPermanent) != tc.permanent {
				t.Errorf("errors.Is(err, ErrPermanent) = %v, want %v", !tc.permanent, tc.permanent)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q holds the password", err)
			}
			if strings.Contains(" "+f.seen()+" ", " "+tc.notInVerbs+" ") {
				t.Errorf("server saw %s: %q", tc.notInVerbs, f.seen())
			}
		})
	}
}

func TestSendBadCertificate(t *testing.T) {
	t.Parallel()
	f := newFakeSMTP(t, nil)
	s, err := deliver.ParseSMTP("smtp://user:s3cret-pass@127.0.0.1:"+f.port(), "forms@example.org")
	if err != nil {
		t.Fatal(err)
	}
	// No RootCAs: the fake's self-signed certificate must be refused
	// before the credentials go out.
	code, err := s.Send(context.Background(), testMail())
	if err == nil || code != 0 || !strings.Contains(err.Error(), "starttls") {
		t.Fatalf("Send = %d, %v; want a certificate error", code, err)
	}
	if strings.Contains(f.seen(), "AUTH") {
		t.Errorf("credentials sent over an unverified connection: %q", f.seen())
	}
}

func TestSendTimeoutAndUnreachable(t *testing.T) {
	t.Parallel()
	silent := newFakeSMTP(t, func(f *fakeSMTP) { f.silent = true })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cases := []struct {
		name    string
		port    string
		timeout time.Duration // SMTP.Timeout; the context's is 5 s
		ctxTime time.Duration
	}{
		{"silent server, client timeout", silent.port(), 200 * time.Millisecond, 5 * time.Second},
		{"silent server, context deadline", silent.port(), 0, 200 * time.Millisecond},
		{"nobody listening", fmt.Sprint(closed), 0, 5 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, err := deliver.ParseSMTP("smtp://127.0.0.1:"+tc.port, "forms@example.org")
			if err != nil {
				t.Fatal(err)
			}
			s.Timeout = tc.timeout
			ctx, cancel := context.WithTimeout(context.Background(), tc.ctxTime)
			defer cancel()
			start := time.Now()
			code, err := s.Send(ctx, testMail())
			if err == nil || code != 0 || errors.Is(err, deliver.ErrPermanent) {
				t.Fatalf("Send = %d, %v; want a transient error without a code", code, err)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("Send took %v", d)
			}
		})
	}
}

func FuzzParseSMTP(f *testing.F) {
	for _, u := range []string{"smtp://u:p@mail.example.org:587", "smtps://u:p@h", "smtp://127.0.0.1:25?tls=none", "smtp://[::1]?tls=none", "smtp://h?tls=none"} {
		f.Add(u, "forms@example.org")
	}
	f.Fuzz(func(t *testing.T, raw, from string) {
		s, err := deliver.ParseSMTP(raw, from)
		if err != nil {
			return
		}
		if s.Host == "" || s.Port < 1 || s.Port > 65535 || s.From == "" {
			t.Fatalf("accepted %q as %#v", raw, s)
		}
		switch s.Mode {
		case deliver.SMTPStartTLS, deliver.SMTPTLS:
		case deliver.SMTPNone:
			// Plain text is for this machine only, and never with a password.
			if s.Username != "" || s.Password != "" || (s.Host != "localhost" && !net.ParseIP(s.Host).IsLoopback()) {
				t.Fatalf("accepted %q without TLS: %#v", raw, s)
			}
		default:
			t.Fatalf("mode %q", s.Mode)
		}
	})
}
