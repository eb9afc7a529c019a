package sqlstore_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// newDocs captures n documents of a copied-pattern form, each in status
// received.
func newDocs(t *testing.T, db *sqlstore.DB, orgID string, form *inkform.Form, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = capture(t, db, orgID, submission("", pageInk(form.Pages[0].Address, 1, 5))).Documents[0].ID
	}
	return ids
}

func setStatus(t *testing.T, db *sqlstore.DB, orgID, id string, st inkform.DocumentStatus) {
	t.Helper()
	if _, err := db.SetStatus(context.Background(), orgID, id, st, "test"); err != nil {
		t.Fatalf("set status %s: %v", st, err)
	}
}

func feed(t *testing.T, db *sqlstore.DB, orgID, formID, after string, limit int) *inkform.FeedPage {
	t.Helper()
	p, err := db.ValidatedFeed(context.Background(), orgID, formID, after, limit)
	if err != nil {
		t.Fatalf("feed after %q: %v", after, err)
	}
	return p
}

func feedIDs(p *inkform.FeedPage) []string {
	ids := make([]string, len(p.Documents))
	for i, d := range p.Documents {
		ids[i] = d.ID
	}
	return ids
}

func TestValidatedFeed(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org, other := newOrg(t, db), newOrg(t, db)
		form := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		otherForm := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		ids := newDocs(t, db, org.ID, form, 4)
		newDocs(t, db, org.ID, otherForm, 1) // another form's documents stay out

		empty := feed(t, db, org.ID, form.ID, "", 10)
		if len(empty.Documents) != 0 || empty.Next != "" {
			t.Fatalf("feed of a form with nothing validated: %+v", empty)
		}
		// Validated in the order 2, 0, 3; 1 only needs verification.
		setStatus(t, db, org.ID, ids[1], inkform.StatusNeedsVerification)
		for _, i := range []int{2, 0, 3} {
			setStatus(t, db, org.ID, ids[i], inkform.StatusValidated)
		}
		p1 := feed(t, db, org.ID, form.ID, "", 2)
		if got := fmt.Sprint(feedIDs(p1)); got != fmt.Sprint([]string{ids[2], ids[0]}) {
			t.Fatalf("first page %v, want documents 2, 0", got)
		}
		if p1.Documents[0].Status != inkform.StatusValidated || p1.Documents[0].FormID != form.ID {
			t.Errorf("feed document %+v", p1.Documents[0])
		}
		p2 := feed(t, db, org.ID, form.ID, p1.Next, 2)
		if got := fmt.Sprint(feedIDs(p2)); got != fmt.Sprint([]string{ids[3]}) {
			t.Fatalf("second page %v, want document 3", got)
		}
		// Nothing new: Next stays, so a client polls with it.
		p3 := feed(t, db, org.ID, form.ID, p2.Next, 2)
		if len(p3.Documents) != 0 || p3.Next != p2.Next {
			t.Fatalf("poll with nothing new = %+v, want no documents and next %q", p3, p2.Next)
		}

		// Document 0 goes back to verification and is validated again:
		// it comes again at the end. Document 1 is validated now.
		setStatus(t, db, org.ID, ids[0], inkform.StatusNeedsVerification)
		if got := feedIDs(feed(t, db, org.ID, form.ID, "", 10)); fmt.Sprint(got) != fmt.Sprint([]string{ids[2], ids[3]}) {
			t.Fatalf("after document 0 left validated the feed is %v", got)
		}
		setStatus(t, db, org.ID, ids[0], inkform.StatusValidated)
		setStatus(t, db, org.ID, ids[1], inkform.StatusValidated)
		p4 := feed(t, db, org.ID, form.ID, p3.Next, 10)
		if got := fmt.Sprint(feedIDs(p4)); got != fmt.Sprint([]string{ids[0], ids[1]}) {
			t.Fatalf("poll after re-validation %v, want documents 0, 1", got)
		}
		// Editing a validated document's values moves it to the end, so
		// a client following the feed gets the new values.
		if _, err := db.UpdateFields(ctx, org.ID, ids[0], map[string]inkform.FieldValue{"patient": {Value: "X", Valid: true}}, "test", "edit"); err != nil {
			t.Fatal(err)
		}
		p5 := feed(t, db, org.ID, form.ID, p4.Next, 10)
		if len(p5.Documents) != 1 || p5.Documents[0].ID != ids[0] || p5.Documents[0].Fields["patient"].Value != "X" {
			t.Fatalf("after a field edit the poll gives %v, want document 0 with its new value", feedIDs(p5))
		}

		// A purged document drops out.
		if err := db.PurgeDocument(ctx, org.ID, ids[2], "test"); err != nil {
			t.Fatal(err)
		}
		if got := feedIDs(feed(t, db, org.ID, form.ID, "", 10)); fmt.Sprint(got) != fmt.Sprint([]string{ids[3], ids[1], ids[0]}) {
			t.Fatalf("after the purge the feed is %v", got)
		}

		_, err := db.ValidatedFeed(ctx, other.ID, form.ID, "", 10)
		wantCode(t, err, inkform.ENOTFOUND)
		_, err = db.ValidatedFeed(ctx, org.ID, inkform.NewID(), "", 10)
		wantCode(t, err, inkform.ENOTFOUND)
		for _, bad := range []string{"x", "-1", "+3", "1.5", " 1", "99999999999999999999"} {
			_, err = db.ValidatedFeed(ctx, org.ID, form.ID, bad, 10)
			wantCode(t, err, inkform.EINVALID)
		}
	})
}

// TestValidatedFeedCommitOrder holds one validating transaction open while
// another validates a document of the same form. With positions from a
// sequence the second could commit first with the higher number; a reader
// would move its cursor past the first and never see it. Here the second
// must wait, and the reader sees the positions in commit order.
func TestValidatedFeedCommitOrder(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		org := newOrg(t, db)
		form := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		ids := newDocs(t, db, org.ID, form, 2)

		commitFirst := db.ValidateOpen(t, org.ID, ids[0])
		second := make(chan error, 1)
		go func() {
			_, err := db.SetStatus(context.Background(), org.ID, ids[1], inkform.StatusValidated, "test")
			second <- err
		}()
		select {
		case err := <-second:
			t.Fatalf("the second validation committed (err %v) while the first still held its position", err)
		case <-time.After(300 * time.Millisecond):
		}
		if p := feed(t, db, org.ID, form.ID, "", 10); len(p.Documents) != 0 {
			t.Fatalf("the feed shows uncommitted validations: %v", feedIDs(p))
		}
		if err := commitFirst(); err != nil {
			t.Fatal(err)
		}
		if err := <-second; err != nil {
			t.Fatal(err)
		}
		p := feed(t, db, org.ID, form.ID, "", 10)
		if got := fmt.Sprint(feedIDs(p)); got != fmt.Sprint(ids) {
			t.Fatalf("feed %v, want %v in commit order", got, ids)
		}
	})
}

// TestValidatedFeedConcurrent validates documents from several goroutines
// while a client polls the feed with its cursor: the client must end up
// with every document exactly once, at increasing positions.
func TestValidatedFeedConcurrent(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		const writers, perWriter = 4, 8
		org := newOrg(t, db)
		form := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		ids := newDocs(t, db, org.ID, form, writers*perWriter)

		var wg sync.WaitGroup
		errs := make(chan error, len(ids))
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, id := range ids[w*perWriter : (w+1)*perWriter] {
					if _, err := db.SetStatus(context.Background(), org.ID, id, inkform.StatusValidated, "test"); err != nil {
						errs <- err
					}
				}
			}()
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()

		seen := map[string]int{}
		cursor, last := "", int64(0)
		poll := func() {
			p := feed(t, db, org.ID, form.ID, cursor, 3)
			for _, d := range p.Documents {
				seen[d.ID]++
			}
			if p.Next != cursor {
				n, err := strconv.ParseInt(p.Next, 10, 64)
				if err != nil || n <= last {
					t.Fatalf("cursor went from %q to %q", cursor, p.Next)
				}
				last = n
			}
			cursor = p.Next
		}
		for running := true; running; {
			select {
			case <-done:
				running = false
			default:
			}
			poll()
		}
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		for range 3 + len(ids)/3 { // the rest, after every commit
			poll()
		}
		for _, id := range ids {
			if seen[id] != 1 {
				t.Errorf("document %s seen %d times", id, seen[id])
			}
		}
	})
}
