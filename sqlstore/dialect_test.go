package sqlstore

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

var (
	dollarRE        = regexp.MustCompile(`\$[0-9]+`)
	questionDigitRE = regexp.MustCompile(`\?[0-9]`)
)

// FuzzRebind checks that PostgreSQL rebinding only swaps placeholders:
// putting ? back gives the input, and the numbers count up from 1.
//
//	go test ./sqlstore/ -run '^$' -fuzz FuzzRebind -fuzztime 30s
func FuzzRebind(f *testing.F) {
	f.Add("SELECT a FROM t WHERE b = ? AND c IN (?, ?)")
	f.Add("SELECT '?' FROM t WHERE x = ? AND y = 'it''s ?'")
	f.Add("INSERT INTO t VALUES (?, '', ?)")
	f.Fuzz(func(t *testing.T, q string) {
		if strings.Contains(q, "$") || questionDigitRE.MatchString(q) {
			return // "?1" would read back ambiguously; SQL never has it
		}
		out := dialectPostgres.rebind(q)
		if back := dollarRE.ReplaceAllString(out, "?"); back != q {
			t.Fatalf("rebind(%q) = %q, which is not the same query", q, out)
		}
		for i, m := range dollarRE.FindAllString(out, -1) {
			if want := "$" + strconv.Itoa(i+1); m != want {
				t.Fatalf("placeholder %d is %s, want %s", i, m, want)
			}
		}
		if dialectMySQL.rebind(q) != q || dialectSQLite.rebind(q) != q {
			t.Fatalf("MySQL or SQLite changed %q", q)
		}
	})
}

// FuzzParseDSN checks that any DSN either picks a dialect or is refused
// with EINVALID, never anything else.
//
//	go test ./sqlstore/ -run '^$' -fuzz FuzzParseDSN -fuzztime 30s
func FuzzParseDSN(f *testing.F) {
	for _, s := range []string{"sqlite:/tmp/a.db", "data/inkform.db", "x.sqlite", "postgres://u@h/db",
		"postgresql://h/db?sslmode=disable", "mysql://root@tcp(127.0.0.1:3306)/test", "mysql://bad", "oracle://x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		d, target, err := parseDSN(dsn)
		var e *inkform.Error
		switch {
		case err != nil && (!errors.As(err, &e) || e.Code != inkform.EINVALID):
			t.Fatalf("parseDSN(%q) error %v is not EINVALID", dsn, err)
		case err == nil && d == dialectMySQL && strings.HasPrefix(target, "mysql://"):
			t.Fatalf("parseDSN(%q) kept the scheme: %q", dsn, target)
		}
	})
}
