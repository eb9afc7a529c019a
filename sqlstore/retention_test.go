package sqlstore_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

func retentionForm(t *testing.T, db *sqlstore.DB, orgID string, r *inkform.Retention) *inkform.Form {
	t.Helper()
	tpl := template(inkform.PatternCopied, 1)
	tpl.Retention = r
	f, err := db.CreateForm(context.Background(), orgID, tpl)
	if err != nil {
		t.Fatalf("create form: %v", err)
	}
	return f
}

func expired(t *testing.T, db *sqlstore.DB, now time.Time, limit int) []string {
	t.Helper()
	refs, err := db.ExpiredDocuments(context.Background(), now, limit)
	if err != nil {
		t.Fatalf("expired documents: %v", err)
	}
	var out []string
	for _, r := range refs {
		out = append(out, r.OrgID+"/"+r.ID)
	}
	sort.Strings(out)
	return out
}

func refs(orgID string, ids ...string) string {
	out := expiredWant(orgID, ids...)
	sort.Strings(out)
	return fmt.Sprint(out)
}

func TestExpiredDocuments(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		day := 24 * time.Hour
		t0 := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
		clk := &clock{t: t0}
		db := openDB(t, dsn, sqlstore.Options{Now: clk.now})
		org, org2 := newOrg(t, db), newOrg(t, db)
		validated := retentionForm(t, db, org.ID, &inkform.Retention{After: inkform.RetainAfterValidated, Days: 30})
		exported := retentionForm(t, db, org2.ID, &inkform.Retention{After: inkform.RetainAfterExported, Days: 10})
		keep := retentionForm(t, db, org.ID, nil)

		old := newDocs(t, db, org.ID, validated, 3)
		setStatus(t, db, org.ID, old[0], inkform.StatusValidated)
		setStatus(t, db, org.ID, old[1], inkform.StatusValidated)
		setStatus(t, db, org.ID, old[2], inkform.StatusNeedsVerification) // never validated: kept
		forever := newDocs(t, db, org.ID, keep, 1)[0]
		setStatus(t, db, org.ID, forever, inkform.StatusValidated)
		exp := newDocs(t, db, org2.ID, exported, 2)
		setStatus(t, db, org2.ID, exp[0], inkform.StatusValidated)
		setStatus(t, db, org2.ID, exp[1], inkform.StatusValidated) // validated, never exported: kept
		db.SetExportedAt(t, org2.ID, exp[0], t0)

		clk.t = t0.Add(20 * day)
		young := newDocs(t, db, org.ID, validated, 1)[0]
		setStatus(t, db, org.ID, young, inkform.StatusValidated)

		if got := expired(t, db, t0.Add(10*day), 10); len(got) != 0 {
			t.Fatalf("at day 10 expired %v, want none (10 days is not older than 10)", got)
		}
		if got, want := fmt.Sprint(expired(t, db, t0.Add(10*day+time.Second), 10)), refs(org2.ID, exp[0]); got != want {
			t.Fatalf("just after day 10 expired %v, want %v", got, want)
		}
		at := t0.Add(31 * day)
		want := append(expiredWant(org.ID, old[0], old[1]), org2.ID+"/"+exp[0])
		sort.Strings(want)
		if got := expired(t, db, at, 10); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("at day 31 expired %v, want %v", got, want)
		}
		if got := expired(t, db, at, 2); len(got) != 2 {
			t.Fatalf("limit 2 returned %v", got)
		}

		// Leaving validated stops the clock; removing retention keeps all.
		setStatus(t, db, org.ID, old[0], inkform.StatusNeedsVerification)
		tpl := template(inkform.PatternCopied, 1)
		if _, err := db.UpdateForm(ctx, org2.ID, exported.ID, tpl); err != nil {
			t.Fatal(err)
		}
		if got, want := fmt.Sprint(expired(t, db, at, 10)), refs(org.ID, old[1]); got != want {
			t.Fatalf("after the changes expired %v, want %v", got, want)
		}
		// Far in the future everything validated on a form with
		// retention expires, and nothing else.
		if got, want := fmt.Sprint(expired(t, db, t0.Add(100*day), 10)), refs(org.ID, old[1], young); got != want {
			t.Fatalf("at day 100 expired %v, want %v", got, want)
		}
	})
}

func expiredWant(orgID string, ids ...string) []string {
	var out []string
	for _, id := range ids {
		out = append(out, orgID+"/"+id)
	}
	return out
}

// TestPurgeExpiredDocument checks that the retention purge looks again on
// the locked row: a document listed as expired that has since left
// validated, or whose form no longer keeps documents that briefly, stays.
func TestPurgeExpiredDocument(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		t0 := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
		clk := &clock{t: t0}
		db := openDB(t, dsn, sqlstore.Options{Now: clk.now})
		org := newOrg(t, db)
		form := retentionForm(t, db, org.ID, &inkform.Retention{After: inkform.RetainAfterValidated, Days: 1})
		docs := newDocs(t, db, org.ID, form, 3)
		for _, id := range docs {
			setStatus(t, db, org.ID, id, inkform.StatusValidated)
		}
		later := t0.Add(48 * time.Hour)
		if got := expired(t, db, later, 10); len(got) != 3 {
			t.Fatalf("expired %v, want all three", got)
		}
		setStatus(t, db, org.ID, docs[1], inkform.StatusNeedsVerification) // after the listing
		purge := func(id string) bool {
			t.Helper()
			ok, err := db.PurgeExpiredDocument(ctx, org.ID, id, "retention", later)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !purge(docs[0]) || purge(docs[1]) {
			t.Fatal("want the expired document purged and the one that left validated kept")
		}
		if _, err := db.FindDocument(ctx, org.ID, docs[1]); err != nil {
			t.Fatalf("the kept document: %v", err)
		}
		// The form now keeps its documents longer than they have been validated.
		tpl := template(inkform.PatternCopied, 1)
		tpl.Retention = &inkform.Retention{After: inkform.RetainAfterValidated, Days: 30}
		if _, err := db.UpdateForm(ctx, org.ID, form.ID, tpl); err != nil {
			t.Fatal(err)
		}
		if purge(docs[2]) {
			t.Fatal("a document within the form's new retention was purged")
		}
		_, err := db.PurgeExpiredDocument(ctx, newOrg(t, db).ID, docs[2], "retention", later.Add(365*24*time.Hour))
		wantCode(t, err, inkform.ENOTFOUND)
	})
}
