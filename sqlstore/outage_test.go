package sqlstore_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// TestSQLiteFullIsUnavailable fills a SQLite database to its limit: the
// capture that does not fit is EUNAVAILABLE with a Retry-After (503 at the
// API), and nothing of it is stored.
func TestSQLiteFullIsUnavailable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t, newDatabase(t, "sqlite"), sqlstore.Options{})
	org := newOrg(t, db)
	form := newForm(t, db, org.ID, inkform.PatternCopied, 1)
	db.LimitSQLitePages(t, db.Count(t, "documents", "")+200) // a little room above what exists
	var stored int
	var err error
	for i := 0; i < 10_000; i++ {
		if _, err = db.CaptureInk(ctx, org.ID, submission("", pageInk(form.Pages[0].Address, 20, 50))); err != nil {
			break
		}
		stored++
	}
	if inkform.ErrorCode(err) != inkform.EUNAVAILABLE || inkform.ErrorRetryAfter(err) <= 0 {
		t.Fatalf("after %d captures: %v; want EUNAVAILABLE with a Retry-After", stored, err)
	}
	if n := db.Count(t, "documents", "org_id = ?", org.ID); n != stored {
		t.Errorf("%d documents stored, %d captures acknowledged", n, stored)
	}
}

// TestLostServerIsUnavailable cuts the connection to a real PostgreSQL and
// MySQL server (through a proxy the test closes): reads and captures answer
// EUNAVAILABLE, not an internal error.
func TestLostServerIsUnavailable(t *testing.T) {
	t.Parallel()
	for _, dialect := range []string{"postgres", "mysql"} {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := newDatabase(t, dialect)
			p := newProxy(t, serverAddr(t, dsn))
			db := openDB(t, p.dsn(t, dsn), sqlstore.Options{})
			org := newOrg(t, db)
			form := newForm(t, db, org.ID, inkform.PatternCopied, 1)
			p.close()
			if _, err := db.FindOrgByID(ctx, org.ID); inkform.ErrorCode(err) != inkform.EUNAVAILABLE {
				t.Errorf("read with the server gone: %v; want EUNAVAILABLE", err)
			}
			_, err := db.CaptureInk(ctx, org.ID, submission("", pageInk(form.Pages[0].Address, 1, 5)))
			if inkform.ErrorCode(err) != inkform.EUNAVAILABLE {
				t.Errorf("capture with the server gone: %v; want EUNAVAILABLE", err)
			}
		})
	}
}

// serverAddr returns the host:port a PostgreSQL or MySQL DSN names.
func serverAddr(t *testing.T, dsn string) string {
	if strings.HasPrefix(dsn, "mysql://") {
		cfg, err := mysql.ParseDSN(strings.TrimPrefix(dsn, "mysql://"))
		if err != nil {
			t.Fatal(err)
		}
		return cfg.Addr
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// proxy forwards TCP connections to a database server until closed, when
// it stops listening and cuts every connection: the server is gone.
type proxy struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func newProxy(t *testing.T, target string) *proxy { return newProxyAt(t, "127.0.0.1:0", target) }

// newProxyAt is newProxy listening on addr, so a closed proxy can come back
// where its clients look for it.
func newProxyAt(t *testing.T, addr, target string) *proxy {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln}
	t.Cleanup(p.close)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(s, c); s.Close() }()
			go func() { _, _ = io.Copy(c, s); c.Close() }()
		}
	}()
	return p
}

// dsn returns dsn pointed at the proxy.
func (p *proxy) dsn(t *testing.T, dsn string) string {
	addr := p.ln.Addr().String()
	if strings.HasPrefix(dsn, "mysql://") {
		cfg, err := mysql.ParseDSN(strings.TrimPrefix(dsn, "mysql://"))
		if err != nil {
			t.Fatal(err)
		}
		cfg.Addr = addr
		return "mysql://" + cfg.FormatDSN()
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = addr
	return u.String()
}

func (p *proxy) close() {
	if err := p.ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}
