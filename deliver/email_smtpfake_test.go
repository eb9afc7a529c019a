package deliver_test

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// testCert returns a self-signed certificate for 127.0.0.1 and a pool that
// trusts it.
func testCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// fakeSMTP is a small SMTP server for unit tests: it speaks just enough
// of RFC 5321 for net/smtp and records what it was told. Real-server
// tests run against mailpit (see .ci/run).
type fakeSMTP struct {
	addr string
	// Settings, fixed before the first connection.
	implicitTLS bool   // TLS from the first byte
	noSTARTTLS  bool   // do not offer STARTTLS
	silent      bool   // accept connections but never greet
	user, pass  string // AUTH PLAIN credentials; AUTH offered over TLS only
	codes       map[string]int
	tlsConfig   *tls.Config

	mu       sync.Mutex
	commands []string // verbs in order, "TLS" when a session became secure
	authedAs string
	from     string
	rcpts    []string
	data     []byte
}

// newFakeSMTP starts a fake server; configure sets it up before it
// listens. codes maps a verb (MAIL, RCPT, DATA, AUTH) to the reply code
// that refuses it.
func newFakeSMTP(t *testing.T, configure func(*fakeSMTP)) *fakeSMTP {
	t.Helper()
	cert, _ := testCert(t)
	f := &fakeSMTP{user: "user", pass: "s3cret-pass", codes: map[string]int{},
		tlsConfig: &tls.Config{Certificates: []tls.Certificate{cert}}}
	if configure != nil {
		configure(f)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	f.addr = ln.Addr().String()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(c)
		}
	}()
	return f
}

// port returns the port the fake listens on.
func (f *fakeSMTP) port() string { _, p, _ := net.SplitHostPort(f.addr); return p }

func (f *fakeSMTP) log(verb string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.commands = append(f.commands, verb)
}

// seen returns the verbs received so far, space-separated.
func (f *fakeSMTP) seen() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.commands, " ")
}

func (f *fakeSMTP) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if f.silent {
		_, _ = bufio.NewReader(c).ReadString('\n')
		return
	}
	secure := f.implicitTLS
	if secure {
		c = tls.Server(c, f.tlsConfig)
		f.log("TLS")
	}
	tp := textproto.NewConn(c)
	reply := func(code int, text string) { _ = tp.PrintfLine("%d %s", code, text) }
	refuse := func(verb string) bool {
		if code := f.codes[verb]; code != 0 {
			reply(code, verb+" refused by the fake")
			return true
		}
		return false
	}
	reply(220, "fake ESMTP")
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		verb = strings.ToUpper(verb)
		f.log(verb)
		switch verb {
		case "EHLO":
			ext := []string{"fake"}
			if !secure && !f.noSTARTTLS {
				ext = append(ext, "STARTTLS")
			}
			if secure {
				ext = append(ext, "AUTH PLAIN")
			}
			for i, e := range ext {
				sep := "-"
				if i == len(ext)-1 {
					sep = " "
				}
				_ = tp.PrintfLine("250%s%s", sep, e)
			}
		case "STARTTLS":
			reply(220, "go ahead")
			tc := tls.Server(c, f.tlsConfig)
			if tc.Handshake() != nil {
				return
			}
			c, secure = tc, true
			tp = textproto.NewConn(c)
			f.log("TLS")
		case "AUTH":
			if refuse("AUTH") {
				continue
			}
			raw, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(arg, "PLAIN "))
			parts := strings.Split(string(raw), "\x00")
			if len(parts) != 3 || parts[1] != f.user || parts[2] != f.pass {
				reply(535, "bad credentials")
				continue
			}
			f.mu.Lock()
			f.authedAs = parts[1]
			f.mu.Unlock()
			reply(235, "ok")
		case "MAIL":
			if !refuse("MAIL") {
				f.mu.Lock()
				f.from = arg
				f.mu.Unlock()
				reply(250, "ok")
			}
		case "RCPT":
			if !refuse("RCPT") {
				f.mu.Lock()
				f.rcpts = append(f.rcpts, arg)
				f.mu.Unlock()
				reply(250, "ok")
			}
		case "DATA":
			reply(354, "go on")
			data, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			if refuse("DATA") {
				continue
			}
			f.mu.Lock()
			f.data = data
			f.mu.Unlock()
			reply(250, "queued")
		case "QUIT":
			reply(221, "bye")
			return
		case "RSET", "NOOP":
			reply(250, "ok")
		default:
			reply(502, fmt.Sprintf("%s not implemented", verb))
		}
	}
}
