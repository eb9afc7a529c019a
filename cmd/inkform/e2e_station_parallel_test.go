package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/inkform/inkform/sqlstore/sqlstoretest"
)

// TestStationParallelStart: six verifiers press Start at the same moment
// on each database engine, with the real lease store and workflow behind
// the console; each gets a document of their own, a seventh gets none,
// and none can open another's.
func TestStationParallelStart(t *testing.T) {
	t.Parallel()
	sqlstoretest.ForEach(t, func(t *testing.T, dsn string) {
		const n = 6
		db, org, form := openSampleStore(t, dsn, nil)
		waitingDocuments(t, db, org.ID, n)
		var emails []string
		for i := range n + 1 {
			emails = append(emails, fmt.Sprintf("v%d@example.org", i))
		}
		clients := stationClients(t, db, org.ID, emails...)
		tokens := make([]string, len(clients))
		for i, c := range clients {
			tokens[i] = c.token(t)
		}
		got := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				resp := clients[i].post(t, "/verify/forms/"+form.ID+"/start", url.Values{"csrf": {tokens[i]}})
				got[i] = resp.Header.Get("Location")
			})
		}
		wg.Wait()
		seen := map[string]int{}
		for i, loc := range got {
			if !strings.HasPrefix(loc, "/verify/documents/") {
				t.Fatalf("verifier %d was sent to %q", i, loc)
			}
			if j, dup := seen[loc]; dup {
				t.Fatalf("verifiers %d and %d both got %s", j, i, loc)
			}
			seen[loc] = i
		}
		last := clients[n].post(t, "/verify/forms/"+form.ID+"/start", url.Values{"csrf": {tokens[n]}})
		if loc := last.Header.Get("Location"); loc != "/verify?done="+form.ID {
			t.Errorf("a seventh verifier was sent to %q with every document held", loc)
		}
		if p := clients[n].get(t, got[0]); p.StatusCode != http.StatusConflict {
			t.Errorf("another's document opened with %d", p.StatusCode)
		}
	})
}
