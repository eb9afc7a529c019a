package sqlstore_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// TestLeaseConcurrent has 8 people (as on 8 nodes) lease at once: groups
// from one form, then one document each from a form with fewer documents
// than people. No document is handed to two of them, and none that waits
// is left over while someone asked for more.
func TestLeaseConcurrent(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		f := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		g := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		var fDocs, gDocs []string
		for range 20 {
			fDocs = append(fDocs, newDocument(t, db, f, inkform.StatusNeedsVerification).ID)
		}
		for range 5 {
			gDocs = append(gDocs, newDocument(t, db, g, inkform.StatusNeedsVerification).ID)
		}
		const people = 8
		holders := func(lease func(user string) ([]inkform.Lease, error)) map[string][]string {
			t.Helper()
			var mu sync.Mutex
			held := map[string][]string{}
			var wg sync.WaitGroup
			for i := range people {
				user := "user" + string(rune('a'+i))
				wg.Go(func() {
					ls, err := lease(user)
					if err != nil {
						t.Errorf("%s: %v", user, err)
						return
					}
					mu.Lock()
					defer mu.Unlock()
					for _, le := range ls {
						held[le.DocumentID] = append(held[le.DocumentID], user)
					}
				})
			}
			wg.Wait()
			for id, users := range held {
				if len(users) > 1 {
					t.Errorf("document %s handed to %v", id, users)
				}
			}
			return held
		}
		exp := time.Now().Add(time.Hour)
		held := holders(func(user string) ([]inkform.Lease, error) {
			return db.LeaseGroup(ctx, org.ID, f.ID, user, 3, exp)
		})
		// 8 people × 3 ask for more than the 20 documents: all go out.
		if len(held) != len(fDocs) {
			t.Errorf("%d of %d documents leased in groups", len(held), len(fDocs))
		}
		held = holders(func(user string) ([]inkform.Lease, error) {
			le, err := db.LeaseNext(ctx, org.ID, g.ID, user, exp)
			if inkform.ErrorCode(err) == inkform.ENOTFOUND {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			return []inkform.Lease{*le}, nil
		})
		var got []string
		for id := range held {
			got = append(got, id)
		}
		slices.Sort(got)
		if !slices.Equal(got, gDocs) {
			t.Errorf("leased %v one by one, want every one of %v", got, gDocs)
		}
	})
}

// TestVerificationRowsPurged checks that purging a document deletes its
// lease, entries and field history with it.
func TestVerificationRowsPurged(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		f := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		id := newDocument(t, db, f, inkform.StatusNeedsVerification).ID
		keep := newDocument(t, db, f, inkform.StatusNeedsVerification).ID
		for _, doc := range []string{id, keep} {
			if _, err := db.LeaseDocument(ctx, org.ID, doc, "ann", time.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if err := db.AddEntries(ctx, org.ID, doc, "ann", map[string]any{"a": "1"}); err != nil {
				t.Fatal(err)
			}
			if _, err := db.UpdateFields(ctx, org.ID, doc, map[string]inkform.FieldValue{"a": {Value: "1", Source: inkform.SourceVerifier}}, "ann", "fix"); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.PurgeDocument(ctx, org.ID, id, "test"); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"document_leases", "double_entries", "field_changes"} {
			if n := db.Count(t, table, "document_id = ?", id); n != 0 {
				t.Errorf("%d rows of the purged document left in %s", n, table)
			}
			if n := db.Count(t, table, "document_id = ?", keep); n != 1 {
				t.Errorf("%d rows of the other document in %s, want 1", n, table)
			}
		}
	})
}

// TestMigrateVerification migrates 13 down and up again: the tables go and
// come back, and the schema is current afterwards.
func TestMigrateVerification(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		db := openRaw(t, dsn)
		tables := []string{"document_leases", "double_entries", "field_changes"}
		for range 2 {
			db.MigrateTo(t, 13)
			for _, table := range tables {
				if !db.HasTable(table) {
					t.Errorf("no table %s at version 13", table)
				}
			}
			db.Exec(t, `INSERT INTO double_entries (org_id, document_id, field, user_id, value, entered_at) VALUES ('o', 'd', 'f', 'u', '1', 1)`)
			db.MigrateTo(t, 12)
			for _, table := range tables {
				if db.HasTable(table) {
					t.Errorf("table %s left at version 12", table)
				}
			}
		}
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}
