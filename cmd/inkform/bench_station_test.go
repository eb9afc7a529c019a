package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/inkml"
	"github.com/inkform/inkform/passwd"
	"github.com/inkform/inkform/sqlstore"
	"github.com/inkform/inkform/ui"
	"github.com/inkform/inkform/verify"
)

// stationDocs is how many documents wait in the station's benchmark.
const stationDocs = 200

// BenchmarkStationNext measures the server time to open the next document
// in the verification station on SQLite, with 200 documents of the sample
// form waiting: Start (LeaseNext, 303) and the station page (the page's
// SVG with the ink, the fields, history, neighbours), through the
// console's handlers in-process. The lease is released between
// iterations, untimed, so each one leases afresh.
//
//	go test ./cmd/inkform -run '^$' -bench StationNext -benchtime 200x
func BenchmarkStationNext(b *testing.B) {
	ctx := context.Background()
	db, org, form := openSampleStore(b, "sqlite:"+filepath.Join(b.TempDir(), "inkform.db"), nil)
	waitingDocuments(b, db, org.ID, stationDocs)
	c := stationClients(b, db, org.ID, "ann@example.org")[0]
	start := "/verify/forms/" + form.ID + "/start"
	token := c.token(b)
	b.ResetTimer()
	for b.Loop() {
		resp := c.post(b, start, url.Values{"csrf": {token}})
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/verify/documents/") {
			b.Fatalf("start: %d to %q", resp.StatusCode, loc)
		}
		if page := c.get(b, loc); page.StatusCode != http.StatusOK {
			b.Fatalf("station: %d", page.StatusCode)
		}
		b.StopTimer()
		if err := db.ReleaseLease(ctx, org.ID, strings.TrimPrefix(loc, "/verify/documents/"), c.userID); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// waitingDocuments captures the sample ink n times (copied pattern: a
// document each) and stores an interpretation that needs a person: the
// patient number read with low confidence and three alternatives.
func waitingDocuments(tb testing.TB, db *sqlstore.DB, orgID string, n int) []string {
	tb.Helper()
	ctx := context.Background()
	data, err := os.ReadFile("../../examples/wound-check.inkml")
	if err != nil {
		tb.Fatal(err)
	}
	sub, err := inkml.Parse(data, inkml.DefaultLimits())
	if err != nil {
		tb.Fatal(err)
	}
	var ids []string
	for i := range n {
		sub.SubmissionID = fmt.Sprintf("bench-%d", i)
		res, err := db.CaptureInk(ctx, orgID, sub)
		if err != nil {
			tb.Fatal(err)
		}
		id := res.Documents[0].ID
		in := &inkform.Interpretation{Status: inkform.StatusNeedsVerification, Cause: "patient_no: confidence 0.61 below 0.9", InkRows: 1,
			Fields: map[string]inkform.FieldValue{
				"patient_no":       {Value: "004717", Confidence: 0.61, Source: inkform.SourceICR, Valid: true, Alternatives: []string{"004711", "004177", "084711"}},
				"visit_date":       {Value: "271126", Confidence: 0.97, Source: inkform.SourceICR, Valid: true},
				"dressing_changed": {Value: true, Confidence: 0.99, Source: inkform.SourcePen, Valid: true},
				"pain":             {Value: "some", Confidence: 0.95, Source: inkform.SourcePen, Valid: true},
				"signature":        {Value: true, Confidence: 0.99, Source: inkform.SourcePen, Valid: true},
			}}
		if _, err := db.SaveInterpretation(ctx, orgID, id, in); err != nil {
			tb.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// consoleClient is a signed-in client of a console served by httptest.
type consoleClient struct {
	base   string
	hc     *http.Client
	userID string
}

// stationClients serves the console over db with the real workflow and
// signs in a verifier per e-mail address, each with a client of their
// own (with a cheap password hash: sign-in is not what is measured).
func stationClients(tb testing.TB, db *sqlstore.DB, orgID string, emails ...string) []*consoleClient {
	tb.Helper()
	ctx := context.Background()
	hash, err := passwd.Hash("a long passphrase", passwd.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if err != nil {
		tb.Fatal(err)
	}
	mux := http.NewServeMux()
	(&ui.Server{Users: db, Orgs: db, Sessions: db, Documents: db, Forms: db, Leases: db, Entries: db,
		Verification: &verify.Service{Forms: db, Documents: db, Updater: db, Leases: db, Entries: db}}).Register(mux)
	ts := httptest.NewServer(mux)
	tb.Cleanup(ts.Close)
	var out []*consoleClient
	for _, email := range emails {
		u := &inkform.User{OrgID: orgID, Email: email, Role: inkform.RoleVerifier, PasswordHash: hash}
		if err := db.CreateUser(ctx, u); err != nil {
			tb.Fatal(err)
		}
		jar, _ := cookiejar.New(nil)
		c := &consoleClient{base: ts.URL, userID: u.ID, hc: &http.Client{Jar: jar,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
		form := c.get(tb, "/login")
		resp := c.post(tb, "/login", url.Values{"csrf": {form.csrf(tb)}, "email": {u.Email}, "password": {"a long passphrase"}})
		if resp.StatusCode != http.StatusSeeOther {
			tb.Fatalf("sign-in of %s: %d", email, resp.StatusCode)
		}
		out = append(out, c)
	}
	return out
}

var csrfValue = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf returns the page's first CSRF token.
func (p page) csrf(tb testing.TB) string {
	tb.Helper()
	m := csrfValue.FindStringSubmatch(p.body)
	if m == nil {
		tb.Fatalf("no CSRF token on the page (%d)", p.StatusCode)
	}
	return m[1]
}

// token returns the session's CSRF token, from the home page.
func (c *consoleClient) token(tb testing.TB) string { return c.get(tb, "/").csrf(tb) }

func (c *consoleClient) get(tb testing.TB, path string) page {
	tb.Helper()
	return getPage(tb, c.hc, c.base+path)
}

func (c *consoleClient) post(tb testing.TB, path string, form url.Values) page {
	tb.Helper()
	return postPage(tb, c.hc, c.base+path, form)
}
