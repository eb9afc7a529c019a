package deliver

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/netip"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/inkform/inkform"
)

// SMTP connection modes.
const (
	SMTPStartTLS = "starttls" // smtp://: plain connection upgraded with STARTTLS, which is required
	SMTPTLS      = "tls"      // smtps://: TLS from the first byte (implicit TLS)
	SMTPNone     = "none"     // smtp://…?tls=none: no encryption, loopback servers only
)

// maxSMTPURL bounds the server's URL and the sender's address.
const maxSMTPURL = 2048

// DefaultSMTPTimeout bounds one Send when SMTP.Timeout is zero.
const DefaultSMTPTimeout = 30 * time.Second

// ErrPermanent marks a failure that no retry will mend: the server refused
// the sender, a recipient or the message with a 5xx reply. It is
// inkform.ErrDeliveryRefused, the outcome the inkform.Deliverer contract
// names.
var ErrPermanent = inkform.ErrDeliveryRefused

// SMTP sends mail through one submission server. Its String, GoString and
// LogValue leave the password out, so the value can be printed and logged.
type SMTP struct {
	Host string
	Port int
	// Mode is SMTPStartTLS, SMTPTLS or SMTPNone.
	Mode     string
	Username string
	Password string
	// From is the sender, as net/mail parses it ("Name <addr>" or addr).
	From string
	// LocalName is the name sent with EHLO ("localhost" when empty).
	LocalName string
	// Timeout bounds one Send, connecting included (DefaultSMTPTimeout
	// when zero); a deadline of the caller's context applies too.
	Timeout time.Duration
	// TLSConfig is cloned for STARTTLS and implicit TLS; nil verifies the
	// server against the system roots. ServerName defaults to Host.
	TLSConfig *tls.Config
}

// ParseSMTP reads the server's URL and the sender's address:
// smtp://user:pass@host:587 (STARTTLS, required; port 587 by default),
// smtps://user:pass@host:465 (implicit TLS; port 465 by default) or
// smtp://host:25?tls=none (no TLS and so no credentials; loopback hosts
// only, for local development). Its errors never hold the password.
func ParseSMTP(rawURL, from string) (*SMTP, error) {
	if len(rawURL) > maxSMTPURL || len(from) > maxSMTPURL {
		return nil, fmt.Errorf("smtp url or from is longer than %d bytes", maxSMTPURL)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Error repeats the whole URL, password included.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("smtp url: %v", err)
	}
	s := &SMTP{Host: u.Hostname()}
	switch u.Scheme {
	case "smtp":
		s.Mode, s.Port = SMTPStartTLS, 587
	case "smtps":
		s.Mode, s.Port = SMTPTLS, 465
	default:
		return nil, fmt.Errorf("smtp url: scheme must be smtp or smtps, not %q", u.Scheme)
	}
	if s.Host == "" {
		return nil, fmt.Errorf("smtp url: no host")
	}
	if p := u.Port(); p != "" {
		if s.Port, err = strconv.Atoi(p); err != nil || s.Port < 1 || s.Port > 65535 {
			return nil, fmt.Errorf("smtp url: port %q is not a number from 1 to 65535", p)
		}
	}
	if u.Path != "" && u.Path != "/" || u.Fragment != "" || u.Opaque != "" {
		return nil, fmt.Errorf("smtp url: no path or fragment allowed after the host")
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
		if s.Username == "" {
			return nil, fmt.Errorf("smtp url: a password needs a user name")
		}
	}
	if err := s.parseQuery(u.Query()); err != nil {
		return nil, err
	}
	a, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("smtp from %q: %w", from, err)
	}
	s.From = a.String()
	return s, nil
}

// parseQuery applies the URL's only option, tls.
func (s *SMTP) parseQuery(q url.Values) error {
	for k := range q {
		if k != "tls" {
			return fmt.Errorf("smtp url: unknown option %q (known: tls)", k)
		}
	}
	switch tlsMode := q.Get("tls"); {
	case tlsMode == "" || tlsMode == SMTPStartTLS && s.Mode == SMTPStartTLS:
		return nil
	case tlsMode == SMTPNone && s.Mode == SMTPStartTLS:
		if !loopbackHost(s.Host) {
			return fmt.Errorf("smtp url: tls=none is only allowed for a loopback host, not %q", s.Host)
		}
		if s.Username != "" {
			// Credentials must not cross a connection in clear text.
			return fmt.Errorf("smtp url: tls=none cannot carry a user name and password")
		}
		s.Mode = SMTPNone
		return nil
	default:
		return fmt.Errorf("smtp url: tls=%q is not valid here (smtp:// takes tls=none for a loopback host)", tlsMode)
	}
}

// loopbackHost reports whether host names this machine.
func loopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

// String describes the server without its password.
func (s SMTP) String() string {
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(s.Host, strconv.Itoa(s.Port))}
	if s.Mode == SMTPTLS {
		u.Scheme = "smtps"
	}
	if s.Username != "" {
		u.User = url.User(s.Username)
	}
	return u.String() + " (" + s.Mode + ")"
}

// GoString keeps %#v from printing the password.
func (s SMTP) GoString() string { return "deliver.SMTP{" + s.String() + "}" }

// LogValue keeps slog from printing the password.
func (s SMTP) LogValue() slog.Value { return slog.StringValue(s.String()) }

// Send delivers m. It returns the code of the server's last reply: 250
// when the message was accepted, the failing reply's code otherwise, and 0
// when the failure was not a reply (network, TLS, or a server that offers
// no STARTTLS). A 5xx refusal of the sender, a recipient or the message
// wraps ErrPermanent; everything else may succeed on a retry.
func (s *SMTP) Send(ctx context.Context, m *Mail) (code int, err error) {
	envFrom, err := mail.ParseAddress(s.From)
	if err != nil {
		return 0, fmt.Errorf("smtp from: %w", err)
	}
	msg, err := m.Build(s.From, time.Now())
	if err != nil {
		return 0, err
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultSMTPTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c, err := s.connect(ctx)
	if err != nil {
		return replyCode(err), err
	}
	defer c.Close()
	if err := c.Mail(envFrom.Address); err != nil {
		return replyCode(err), rejected("mail from", err)
	}
	for _, to := range m.To {
		// One refused recipient fails the whole mail: delivering to the
		// others would repeat their copy on every retry.
		if err := c.Rcpt(to); err != nil {
			return replyCode(err), rejected("rcpt to "+to, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return replyCode(err), rejected("data", err)
	}
	if _, err := w.Write(msg); err != nil {
		return 0, fmt.Errorf("smtp data: %w", err)
	}
	if err := w.Close(); err != nil {
		return replyCode(err), rejected("data", err)
	}
	// The message is accepted; a failed QUIT does not undo that.
	_ = c.Quit()
	return 250, nil
}

// connect dials the server and returns a client past EHLO, TLS and AUTH.
// The connection's deadline is ctx's, and cancelling ctx aborts any
// exchange in progress.
func (s *SMTP) connect(ctx context.Context) (*smtp.Client, error) {
	addr := net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("smtp connect: %w", err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	c, err := s.handshake(ctx, conn)
	if err != nil {
		stop()
		conn.Close()
		return nil, err
	}
	// The AfterFunc stays registered until the caller's context ends, so
	// that a stalled DATA is cut off too.
	return c, nil
}

// handshake greets the server on conn and secures and authenticates the
// session as s.Mode says.
func (s *SMTP) handshake(ctx context.Context, conn net.Conn) (*smtp.Client, error) {
	cfg := s.tlsConfig()
	if s.Mode == SMTPTLS {
		tc := tls.Client(conn, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, fmt.Errorf("smtp tls: %w", err)
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		return nil, fmt.Errorf("smtp greeting: %w", err)
	}
	name := s.LocalName
	if name == "" {
		name = "localhost"
	}
	if err := c.Hello(name); err != nil {
		return nil, fmt.Errorf("smtp ehlo: %w", err)
	}
	if s.Mode == SMTPStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return nil, fmt.Errorf("smtp: %s does not offer STARTTLS, which smtp:// requires", s.Host)
		}
		if err := c.StartTLS(cfg); err != nil {
			return nil, fmt.Errorf("smtp starttls: %w", err)
		}
	}
	if s.Username != "" {
		if _, ok := c.TLSConnectionState(); !ok {
			return nil, fmt.Errorf("smtp auth: refusing to send credentials without TLS")
		}
		if ok, _ := c.Extension("AUTH"); !ok {
			return nil, fmt.Errorf("smtp auth: %s offers no AUTH", s.Host)
		}
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, s.Host)); err != nil {
			return nil, fmt.Errorf("smtp auth as %s: %w", s.Username, err)
		}
	}
	return c, nil
}

// tlsConfig returns the TLS settings for the server.
func (s *SMTP) tlsConfig() *tls.Config {
	cfg := &tls.Config{}
	if s.TLSConfig != nil {
		cfg = s.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = s.Host
	}
	if cfg.MinVersion == 0 {
		cfg.MinVersion = tls.VersionTLS12
	}
	return cfg
}

// rejected wraps a failed step's error, adding ErrPermanent when the
// server's reply was a 5xx.
func rejected(step string, err error) error {
	if c := replyCode(err); c >= 500 && c <= 599 {
		return fmt.Errorf("smtp %s: %w: %w", step, ErrPermanent, err)
	}
	return fmt.Errorf("smtp %s: %w", step, err)
}

// replyCode returns the code of the server reply in err's chain, or 0.
func replyCode(err error) int {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

// validRecipient reports whether to is a plain address that is safe on an
// RCPT line and in the To header.
func validRecipient(to string) bool {
	a, err := mail.ParseAddress(to)
	return err == nil && a.Name == "" && a.Address == to && !strings.ContainsAny(to, "\r\n")
}
