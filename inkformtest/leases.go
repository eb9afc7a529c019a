package inkformtest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// ExerciseLeaseStore runs the LeaseStore contract against Leases, over
// documents made by NewDocument, entries added through Entries and status
// histories read through Documents.
func ExerciseLeaseStore(t *testing.T, newStores NewStores) {
	run(t, newStores, []suiteCase{
		{"Next", testLeaseNext},
		{"Expiry", testLeaseExpiry},
		{"Document", testLeaseDocument},
		{"RenewRelease", testLeaseRenewRelease},
		{"SkipsOwnEntries", testLeaseSkipsOwnEntries},
		{"Group", testLeaseGroup},
		{"Queues", testLeaseQueues},
		{"Flag", testLeaseFlag},
		{"Isolation", testLeaseIsolation},
	})
}

// leaseFixture is an org with a form and documents waiting on it, oldest
// first, and one received document (which waits for nobody).
type leaseFixture struct {
	org      *inkform.Org
	form     *inkform.Form
	docs     []*inkform.Document
	received *inkform.Document
}

func newLeaseFixture(t *testing.T, s Stores, waiting int) *leaseFixture {
	t.Helper()
	need(t, "Orgs", s.Orgs != nil)
	need(t, "Forms", s.Forms != nil)
	need(t, "Leases", s.Leases != nil)
	need(t, "Entries", s.Entries != nil)
	need(t, "NewDocument", s.NewDocument != nil)
	fx := &leaseFixture{org: newOrg(t, s.Orgs)}
	fx.form = newForm(t, s.Forms, fx.org.ID, unique("Form "), inkform.PatternCopied, 1)
	fx.received = s.NewDocument(t, fx.form, inkform.StatusReceived)
	for range waiting {
		nextMillisecond() // documents made in order wait in that order
		fx.docs = append(fx.docs, s.NewDocument(t, fx.form, inkform.StatusNeedsVerification))
	}
	return fx
}

// later is an expiry far enough ahead for a case to finish.
func later() time.Time { return time.Now().Add(time.Hour) }

// leaseNext leases the next document to user and returns its ID, or ""
// when nothing waits for them.
func leaseNext(t *testing.T, s Stores, fx *leaseFixture, user string) string {
	t.Helper()
	le, err := s.Leases.LeaseNext(context.Background(), fx.org.ID, fx.form.ID, user, later())
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		return ""
	}
	if err != nil {
		t.Fatalf("lease next to %s: %v", user, err)
	}
	if le.UserID != user {
		t.Fatalf("lease next to %s: %+v", user, le)
	}
	return le.DocumentID
}

func testLeaseNext(t *testing.T, s Stores) {
	fx := newLeaseFixture(t, s, 3)
	ctx := context.Background()
	d := fx.docs
	exp := later()
	le, err := s.Leases.LeaseNext(ctx, fx.org.ID, fx.form.ID, "ann", exp)
	if err != nil || le.DocumentID != d[0].ID || le.UserID != "ann" || !le.ExpiresAt.Equal(dbTime(exp)) {
		t.Fatalf("first lease %+v (%v); want the oldest document to ann until %v", le, err, dbTime(exp))
	}
	// Asking again renews ann's own lease rather than taking another.
	exp2 := exp.Add(time.Minute)
	le, err = s.Leases.LeaseNext(ctx, fx.org.ID, fx.form.ID, "ann", exp2)
	if err != nil || le.DocumentID != d[0].ID || !le.ExpiresAt.Equal(dbTime(exp2)) {
		t.Fatalf("ann asks again: %+v (%v); want her lease on %s renewed to %v", le, err, d[0].ID, dbTime(exp2))
	}
	for i, user := range []string{"bob", "cy"} {
		if got := leaseNext(t, s, fx, user); got != d[i+1].ID {
			t.Errorf("%s leased %q, want %s", user, got, d[i+1].ID)
		}
	}
	if got := leaseNext(t, s, fx, "dee"); got != "" {
		t.Errorf("dee leased %s while every waiting document is held; want ENOTFOUND", got)
	}
	if err := s.Leases.ReleaseLease(ctx, fx.org.ID, d[0].ID, "ann"); err != nil {
		t.Fatal(err)
	}
	if got := leaseNext(t, s, fx, "dee"); got != d[0].ID {
		t.Errorf("after ann released, dee leased %q, want %s", got, d[0].ID)
	}
	other := newForm(t, s.Forms, fx.org.ID, unique("Empty "), inkform.PatternCopied, 1)
	_, err = s.Leases.LeaseNext(ctx, fx.org.ID, other.ID, "ann", later())
	wantCode(t, "a form with nothing waiting", err, inkform.ENOTFOUND)
}

func testLeaseExpiry(t *testing.T, s Stores) {
	fx := newLeaseFixture(t, s, 1)
	ctx := context.Background()
	id := fx.docs[0].ID
	if _, err := s.Leases.LeaseDocument(ctx, fx.org.ID, id, "ann", time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	// An expired lease counts as none: others may take the document.
	if got := leaseNext(t, s, fx, "bob"); got != id {
		t.Fatalf("bob leased %q past ann's expired lease, want %s", got, id)
	}
	err := s.Leases.RenewLease(ctx, fx.org.ID, id, "ann", later())
	wantCode(t, "ann renews her expired lease that bob took", err, inkform.ECONFLICT)
	if got := leaseNext(t, s, fx, "ann"); got != "" {
		t.Errorf("ann leased %s, which bob holds", got)
	}
	// And expired leases are never renewed as one's own.
	if _, err := s.Leases.LeaseDocument(ctx, fx.org.ID, id, "bob", time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	err = s.Leases.RenewLease(ctx, fx.org.ID, id, "bob", later())
	wantCode(t, "bob renews his expired lease", err, inkform.ECONFLICT)
}

func testLeaseDocument(t *testing.T, s Stores) {
	fx := newLeaseFixture(t, s, 2)
	ctx := context.Background()
	id := fx.docs[1].ID
	le, err := s.Leases.LeaseDocument(ctx, fx.org.ID, id, "ann", later())
	if err != nil || le.DocumentID != id || le.UserID != "ann" {
		t.Fatalf("lease document: %+v (%v)", le, err)
	}
	exp := later().Add(time.Minute)
	if le, err = s.Leases.LeaseDocument(ctx, fx.org.ID, id, "ann", exp); err != nil || !le.ExpiresAt.Equal(dbTime(exp)) {
		t.Errorf("ann leases her document again: %+v (%v); want it renewed to %v", le, err, dbTime(exp))
	}
	_, err = s.Leases.LeaseDocument(ctx, fx.org.ID, id, "bob", later())
	wantCode(t, "bob leases ann's document", err, inkform.ECONFLICT)
	if inkform.ErrorMessage(err) == "" || strings.Contains(inkform.ErrorMessage(err), "ann") {
		t.Errorf("conflict %q names the holder or says nothing", inkform.ErrorMessage(err))
	}
	_, err = s.Leases.LeaseDocument(ctx, fx.org.ID, fx.received.ID, "bob", later())
	wantCode(t, "a received document", err, inkform.EUNPROCESSABLE)
	_, err = s.Leases.LeaseDocument(ctx, fx.org.ID, inkform.NewID(), "bob", later())
	wantCode(t, "an unknown document", err, inkform.ENOTFOUND)
	// LeaseNext passes over the document ann took by ID.
	if got := leaseNext(t, s, fx, "bob"); got != fx.docs[0].ID {
		t.Errorf("bob leased %q, want %s", got, fx.docs[0].ID)
	}
}

func testLeaseRenewRelease(t *testing.T, s Stores) {
	fx := newLeaseFixture(t, s, 1)
	ctx := context.Background()
	id := fx.docs[0].ID
	if got := leaseNext(t, s, fx, "ann"); got != id {
		t.Fatalf("ann leased %q", got)
	}
	if err := s.Leases.RenewLease(ctx, fx.org.ID, id, "ann", later()); err != nil {
		t.Errorf("renew: %v", err)
	}
	err := s.Leases.RenewLease(ctx, fx.org.ID, id, "bob", later())
	wantCode(t, "bob renews ann's lease", err, inkform.ECONFLICT)
	// Releasing someone else's lease leaves it be.
	if err := s.Leases.ReleaseLease(ctx, fx.org.ID, id, "bob"); err != nil {
		t.Errorf("bob releases what he does not hold: %v", err)
	}
	_, err = s.Leases.LeaseDocument(ctx, fx.org.ID, id, "bob", later())
	wantCode(t, "bob leases after releasing ann's lease", err, inkform.ECONFLICT)
	if err := s.Leases.ReleaseLease(ctx, fx.org.ID, id, "ann"); err != nil {
		t.Fatal(err)
	}
	if err := s.Leases.ReleaseLease(ctx, fx.org.ID, id, "ann"); err != nil {
		t.Errorf("releasing again: %v", err)
	}
	err = s.Leases.RenewLease(ctx, fx.org.ID, id, "ann", later())
	wantCode(t, "renew a released lease", err, inkform.ECONFLICT)
}

func testLeaseSkipsOwnEntries(t *testing.T, s Stores) {
	fx := newLeaseFixture(t, s, 2)
	ctx := context.Background()
	d0, d1 := fx.docs[0].ID, fx.docs[1].ID
	addEntry := func(user string, v any) {
		t.Helper()
		if err := s.Entries.AddEntries(ctx, fx.org.ID, d0, user, map[string]any{"patient": v}); err != nil {
			t.Fatalf("%s types: %v", user, err)
		}
	}
	addEntry("ann", "Anna")
	// A second entry needs a second person.
	if got := leaseNext(t, s, fx, "ann"); got != d1 {
		t.Fatalf("ann leased %q after typing the oldest; want %s", got, d1)
	}
	if err := s.Leases.ReleaseLease(ctx, fx.org.ID, d1, "ann"); err != nil {
		t.Fatal(err)
	}
	if got := leaseNext(t, s, fx, "bob"); got != d0 {
		t.Fatalf("bob leased %q; want %s for the second entry", got, d0)
	}
	addEntry("bob", "Hanna")
	if err := s.Leases.ReleaseLease(ctx, fx.org.ID, d0, "bob"); err != nil {
		t.Fatal(err)
	}
	// A conflict needs a third person.
	for _, user := range []string{"ann", "bob"} {
		if got := leaseNext(t, s, fx, user); got != d1 {
			t.Errorf("%s leased %q after the entries disagreed; want %s", user, got, d1)
		}
		if err := s.Leases.ReleaseLease(ctx, fx.org.ID, d1, user); err != nil {
			t.Fatal(err)
		}
	}
	if got := leaseNext(t, s, fx, "cy"); got != d0 {
		t.Fatalf("cy leased %q; want %s to decide", got, d0)
	}
	addEntry("cy", "Anna")
	if err := s.Leases.ReleaseLease(ctx, fx.org.ID, d0, "cy"); err != nil {
		t.Fatal(err)
	}
	// Once decided, anyone may work on the document again.
	if got := leaseNext(t, s, fx, "ann"); got != d0 {
		t.Errorf("ann leased %q after the decision; want %s", got, d0)
	}
}

func testLeaseGroup(t *testing.T, s Stores) {
	fx := newLeaseFixture(t, s, 5)
	ctx := context.Background()
	group := func(user string, limit int) []string {
		t.Helper()
		ls, err := s.Leases.LeaseGroup(ctx, fx.org.ID, fx.form.ID, user, limit, later())
		if err != nil {
			t.Fatalf("%s leases a group of %d: %v", user, limit, err)
		}
		var ids []string
		for _, le := range ls {
			if le.UserID != user {
				t.Errorf("%s's group holds %+v", user, le)
			}
			ids = append(ids, le.DocumentID)
		}
		return ids
	}
	ids := docIDs(fx.docs)
	if got := group("ann", 3); !slices.Equal(got, ids[:3]) {
		t.Errorf("ann's group %v, want %v", got, ids[:3])
	}
	if got := group("bob", inkform.MaxGroupSize); !slices.Equal(got, ids[3:]) {
		t.Errorf("bob's group %v, want the rest %v", got, ids[3:])
	}
	if got := group("ann", 3); !slices.Equal(got, ids[:3]) {
		t.Errorf("ann's group again %v, want her own %v renewed", got, ids[:3])
	}
	if got := group("cy", 3); len(got) != 0 {
		t.Errorf("cy's group %v while all are held; want none", got)
	}
	for _, limit := range []int{0, -1, inkform.MaxGroupSize + 1} {
		_, err := s.Leases.LeaseGroup(ctx, fx.org.ID, fx.form.ID, "cy", limit, later())
		wantCode(t, "a group of a bad size", err, inkform.EINVALID)
	}
}

func testLeaseQueues(t *testing.T, s Stores) {
	fx := newLeaseFixture(t, s, 2)
	ctx := context.Background()
	nextMillisecond()
	g := newForm(t, s.Forms, fx.org.ID, unique("Form G "), inkform.PatternCopied, 1)
	gd := s.NewDocument(t, g, inkform.StatusNeedsVerification)
	s.NewDocument(t, g, inkform.StatusValidated)
	newForm(t, s.Forms, fx.org.ID, unique("Idle "), inkform.PatternCopied, 1)
	// A conflict on F's newer document.
	for user, v := range map[string]string{"ann": "A", "bob": "B"} {
		if err := s.Entries.AddEntries(ctx, fx.org.ID, fx.docs[1].ID, user, map[string]any{"patient": v}); err != nil {
			t.Fatal(err)
		}
	}
	// One entry alone is no conflict.
	if err := s.Entries.AddEntries(ctx, fx.org.ID, gd.ID, "ann", map[string]any{"patient": "A"}); err != nil {
		t.Fatal(err)
	}
	// Leased documents still wait.
	leaseNext(t, s, fx, "cy")
	qs, err := s.Leases.ListVerificationQueues(ctx, fx.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []inkform.VerificationQueue{
		{FormID: fx.form.ID, FormName: fx.form.Name, Waiting: 2, Oldest: fx.docs[0].CreatedAt, Conflicts: 1},
		{FormID: g.ID, FormName: g.Name, Waiting: 1, Oldest: gd.CreatedAt},
	}
	if len(qs) != len(want) {
		t.Fatalf("queues %+v, want %+v", qs, want)
	}
	for i := range want {
		q, w := qs[i], want[i]
		if q.FormID != w.FormID || q.FormName != w.FormName || q.Waiting != w.Waiting || !q.Oldest.Equal(w.Oldest) || q.Conflicts != w.Conflicts {
			t.Errorf("queue %d = %+v, want %+v", i, q, w)
		}
	}
	other := newOrg(t, s.Orgs)
	if qs, err := s.Leases.ListVerificationQueues(ctx, other.ID); err != nil || len(qs) != 0 {
		t.Errorf("another org's queues: %+v (%v); want none", qs, err)
	}
}

func testLeaseFlag(t *testing.T, s Stores) {
	need(t, "Documents", s.Documents != nil)
	fx := newLeaseFixture(t, s, 1)
	ctx := context.Background()
	id := fx.docs[0].ID
	if got := leaseNext(t, s, fx, "ann"); got != id {
		t.Fatalf("ann leased %q", got)
	}
	if err := s.Leases.FlagDocument(ctx, fx.org.ID, id, "ann", "smudged"); err != nil {
		t.Fatal(err)
	}
	changes, err := s.Documents.ListStatusChanges(ctx, fx.org.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	last := changes[len(changes)-1]
	if last.From != inkform.StatusNeedsVerification || last.To != inkform.StatusNeedsVerification || last.Cause != "flagged by ann: smudged" {
		t.Errorf("history ends with %+v; want the flag", last)
	}
	if doc, err := s.Documents.FindDocument(ctx, fx.org.ID, id); err != nil || doc.Status != inkform.StatusNeedsVerification {
		t.Errorf("flagged document: %v (%v); want it waiting", doc, err)
	}
	if got := leaseNext(t, s, fx, "bob"); got != id {
		t.Errorf("bob leased %q after ann flagged it; want %s (her lease ended)", got, id)
	}
	err = s.Leases.FlagDocument(ctx, fx.org.ID, inkform.NewID(), "ann", "x")
	wantCode(t, "flag an unknown document", err, inkform.ENOTFOUND)
}

func testLeaseIsolation(t *testing.T, s Stores) {
	fx := newLeaseFixture(t, s, 1)
	ctx := context.Background()
	other := newOrg(t, s.Orgs)
	id := fx.docs[0].ID
	_, err := s.Leases.LeaseDocument(ctx, other.ID, id, "eve", later())
	wantCode(t, "another org leases the document", err, inkform.ENOTFOUND)
	_, err = s.Leases.LeaseNext(ctx, other.ID, fx.form.ID, "eve", later())
	wantCode(t, "another org leases from the form", err, inkform.ENOTFOUND)
	if ls, err := s.Leases.LeaseGroup(ctx, other.ID, fx.form.ID, "eve", 5, later()); err != nil || len(ls) != 0 {
		t.Errorf("another org's group: %+v (%v); want none", ls, err)
	}
	err = s.Leases.FlagDocument(ctx, other.ID, id, "eve", "x")
	wantCode(t, "another org flags the document", err, inkform.ENOTFOUND)
	if got := leaseNext(t, s, fx, "ann"); got != id {
		t.Fatalf("ann leased %q", got)
	}
	// Another org can neither renew nor release the lease.
	if err := s.Leases.RenewLease(ctx, other.ID, id, "ann", later()); inkform.ErrorCode(err) == "" {
		t.Error("another org renewed the lease")
	}
	if err := s.Leases.ReleaseLease(ctx, other.ID, id, "ann"); err != nil {
		t.Errorf("release from another org: %v", err)
	}
	_, err = s.Leases.LeaseDocument(ctx, fx.org.ID, id, "bob", later())
	wantCode(t, "the lease after another org released it", err, inkform.ECONFLICT)
}
