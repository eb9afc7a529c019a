package sqlstore_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// clock is a settable time source for Options.Now.
type clock struct{ t time.Time }

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func (c *clock) now() time.Time { return c.t }

func TestListDocuments(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		clk := &clock{t: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}
		db := openDB(t, dsn, sqlstore.Options{Now: clk.now})
		ctx := context.Background()
		org := newOrg(t, db)
		f := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		g := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		newForm(t, db, newOrg(t, db).ID, inkform.PatternCopied, 1)

		// 7 documents of form f an hour apart, 3 of form g, and one of another org.
		var fDocs []string
		for i := range 10 {
			clk.t = clk.t.Add(time.Hour)
			form := f
			if i%10 >= 7 {
				form = g
			}
			res := capture(t, db, org.ID, submission("", pageInk(form.Pages[0].Address, 1, 3)))
			if form == f {
				fDocs = append(fDocs, res.Documents[0].ID)
			}
		}
		slices.Sort(fDocs)
		// Walk form f's documents three at a time.
		var got []string
		cursor, pages := "", 0
		for {
			docs, next, err := db.ListDocuments(ctx, org.ID, inkform.DocumentFilter{FormID: f.ID, After: cursor, Limit: 3})
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for _, d := range docs {
				got = append(got, d.ID)
			}
			if next == "" {
				break
			}
			if next != docs[len(docs)-1].ID || pages > 5 {
				t.Fatalf("cursor %q after page %d", next, pages)
			}
			cursor = next
		}
		if !slices.Equal(got, fDocs) || pages != 3 {
			t.Errorf("listed %d documents in %d pages, want %d in 3", len(got), pages, len(fDocs))
		}
		start := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
		tests := []struct {
			name   string
			filter inkform.DocumentFilter
			want   int
			next   bool
		}{
			{"all", inkform.DocumentFilter{}, 10, false},
			{"limit", inkform.DocumentFilter{Limit: 4}, 4, true},
			{"exact page", inkform.DocumentFilter{Limit: 10}, 10, false},
			{"form g", inkform.DocumentFilter{FormID: g.ID}, 3, false},
			{"status received", inkform.DocumentFilter{Status: inkform.StatusReceived}, 10, false},
			{"status validated", inkform.DocumentFilter{Status: inkform.StatusValidated}, 0, false},
			{"since", inkform.DocumentFilter{Since: start.Add(3 * time.Hour)}, 8, false},
			{"until", inkform.DocumentFilter{Until: start.Add(3 * time.Hour)}, 2, false},
			{"window", inkform.DocumentFilter{Since: start.Add(2 * time.Hour), Until: start.Add(5 * time.Hour), FormID: f.ID}, 3, false},
			{"unknown form", inkform.DocumentFilter{FormID: inkform.NewID()}, 0, false},
		}
		for _, tt := range tests {
			docs, next, err := db.ListDocuments(ctx, org.ID, tt.filter)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if len(docs) != tt.want || (next != "") != tt.next {
				t.Errorf("%s: %d documents, next %q; want %d, next %v", tt.name, len(docs), next, tt.want, tt.next)
			}
		}
		// Times come from Options.Now and survive the round trip exactly.
		docs, _, _ := db.ListDocuments(ctx, org.ID, inkform.DocumentFilter{})
		var hours []int
		for _, d := range docs {
			hours = append(hours, int(d.CreatedAt.Sub(start)/time.Hour))
			if d.CreatedAt.Location() != time.UTC || !d.CreatedAt.Equal(d.UpdatedAt) || d.CreatedAt.Sub(start)%time.Hour != 0 {
				t.Errorf("document times %v / %v", d.CreatedAt, d.UpdatedAt)
			}
		}
		slices.Sort(hours)
		if !slices.Equal(hours, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}) {
			t.Errorf("created at hours %v", hours)
		}
		_, err := db.FindDocument(ctx, org.ID, inkform.NewID())
		wantCode(t, err, inkform.ENOTFOUND)
		_, err = db.FindDocumentInk(ctx, org.ID, inkform.NewID())
		wantCode(t, err, inkform.ENOTFOUND)
		_, err = db.ListStatusChanges(ctx, org.ID, inkform.NewID())
		wantCode(t, err, inkform.ENOTFOUND)
	})
}
