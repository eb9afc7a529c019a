package inkformtest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// ExerciseAuditLog runs the AuditLog contract against Audit, with orgs
// made through Orgs.
func ExerciseAuditLog(t *testing.T, newStores NewStores) {
	run(t, newStores, []suiteCase{
		{"Record", testAuditRecord},
		{"AllOrNone", testAuditAllOrNone},
		{"Filters", testAuditFilters},
		{"Pages", testAuditPages},
		{"LongDetail", testAuditLongDetail},
	})
}

func auditOrgs(t *testing.T, s Stores) (*inkform.Org, *inkform.Org) {
	t.Helper()
	need(t, "Orgs", s.Orgs != nil)
	need(t, "Audit", s.Audit != nil)
	return newOrg(t, s.Orgs), newOrg(t, s.Orgs)
}

// event returns a valid event about a document.
func event(actor, action, docID string, at time.Time) *inkform.AuditEvent {
	return &inkform.AuditEvent{At: at, Actor: actor, Action: action, Object: inkform.AuditObject{Kind: "document", ID: docID}}
}

// listAudit lists every event of the org matching f, failing on an error.
func listAudit(t *testing.T, s Stores, orgID string, f inkform.AuditFilter) []*inkform.AuditEvent {
	t.Helper()
	events, next, err := s.Audit.ListAudit(context.Background(), orgID, f)
	if err != nil {
		t.Fatalf("list audit: %v", err)
	}
	if next != "" {
		t.Fatalf("list audit: a next page (%q) of a short log", next)
	}
	return events
}

func testAuditRecord(t *testing.T, s Stores) {
	org, _ := auditOrgs(t, s)
	at := dbTime(time.Date(2030, 1, 2, 3, 4, 5, 6000, time.UTC))
	given := event("token a", inkform.AuditDocumentRead, "d1", at)
	given.Detail = "fields: patient"
	now := event("user b", inkform.AuditDocumentUpdate, "d1", time.Time{})
	before := time.Now().Add(-time.Second)
	if err := s.Audit.RecordAudit(context.Background(), org.ID, given, now); err != nil {
		t.Fatal(err)
	}
	if given.ID == "" || now.ID == "" || given.ID == now.ID || !given.At.Equal(at) || now.At.Before(before) {
		t.Errorf("recorded %+v and %+v; want IDs filled in, the given time kept, a missing one set to now", given, now)
	}
	got := listAudit(t, s, org.ID, inkform.AuditFilter{})
	if len(got) != 2 {
		t.Fatalf("listed %d events, want 2", len(got))
	}
	slices.SortFunc(got, func(a, b *inkform.AuditEvent) int { return a.At.Compare(b.At) })
	want := []*inkform.AuditEvent{now, given} // 2030 is later than now
	for i, e := range got {
		w := want[i]
		if e.ID != w.ID || !e.At.Equal(w.At) || e.Actor != w.Actor || e.Action != w.Action || e.Object != w.Object || e.Detail != w.Detail {
			t.Errorf("listed %+v, recorded %+v", e, w)
		}
	}
	if err := s.Audit.RecordAudit(context.Background(), org.ID); err != nil {
		t.Errorf("recording no events: %v", err)
	}
}

func testAuditAllOrNone(t *testing.T, s Stores) {
	org, _ := auditOrgs(t, s)
	good := event("token a", inkform.AuditDocumentRead, "d4", time.Time{})
	bad := event("token a", "", "d4", time.Time{})
	noActor := event("", inkform.AuditDocumentRead, "d4", time.Time{})
	for _, e := range []*inkform.AuditEvent{bad, noActor} {
		wantCode(t, "an invalid event", s.Audit.RecordAudit(context.Background(), org.ID, good, e), inkform.EINVALID)
	}
	if got := listAudit(t, s, org.ID, inkform.AuditFilter{}); len(got) != 0 {
		t.Errorf("refused batches stored %d event(s)", len(got))
	}
}

func testAuditFilters(t *testing.T, s Stores) {
	org, other := auditOrgs(t, s)
	t0 := dbTime(time.Date(2031, 5, 1, 8, 0, 0, 0, time.UTC))
	for _, r := range []struct {
		org *inkform.Org
		e   *inkform.AuditEvent
	}{
		{org, event("token a", inkform.AuditDocumentRead, "d1", t0)},
		{org, event("token a", inkform.AuditDocumentUpdate, "d1", t0.Add(time.Minute))},
		{org, event("user b", inkform.AuditDocumentRead, "d2", t0.Add(2*time.Minute))},
		{org, &inkform.AuditEvent{At: t0.Add(3 * time.Minute), Actor: "user b", Action: inkform.AuditTokenCreate,
			Object: inkform.AuditObject{Kind: "token", ID: "d1"}}},
		{other, event("token c", inkform.AuditDocumentRead, "d1", t0)},
	} {
		if err := s.Audit.RecordAudit(context.Background(), r.org.ID, r.e); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name   string
		org    *inkform.Org
		filter inkform.AuditFilter
		want   []string // action and object
	}{
		{"all", org, inkform.AuditFilter{}, []string{"document.read d1", "document.update d1", "document.read d2", "token.create d1"}},
		{"action", org, inkform.AuditFilter{Action: inkform.AuditDocumentRead}, []string{"document.read d1", "document.read d2"}},
		{"object", org, inkform.AuditFilter{ObjectKind: "document", ObjectID: "d1"}, []string{"document.read d1", "document.update d1"}},
		{"object ID", org, inkform.AuditFilter{ObjectID: "d1"}, []string{"document.read d1", "document.update d1", "token.create d1"}},
		{"object kind", org, inkform.AuditFilter{ObjectKind: "token"}, []string{"token.create d1"}},
		{"actor", org, inkform.AuditFilter{Actor: "user b"}, []string{"document.read d2", "token.create d1"}},
		{"since", org, inkform.AuditFilter{Since: t0.Add(time.Minute)}, []string{"document.update d1", "document.read d2", "token.create d1"}},
		{"until", org, inkform.AuditFilter{Until: t0.Add(time.Minute)}, []string{"document.read d1"}},
		{"window", org, inkform.AuditFilter{Since: t0.Add(time.Minute), Until: t0.Add(3 * time.Minute)}, []string{"document.update d1", "document.read d2"}},
		{"other org", other, inkform.AuditFilter{}, []string{"document.read d1"}},
		{"nothing", org, inkform.AuditFilter{Action: inkform.AuditTokenDelete}, nil},
	}
	for _, tt := range tests {
		var got []string
		for _, e := range listAudit(t, s, tt.org.ID, tt.filter) {
			got = append(got, e.Action+" "+e.Object.ID)
		}
		// IDs order events only to the millisecond, so events recorded
		// within one may list in either order.
		slices.Sort(got)
		slices.Sort(tt.want)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: listed %v, want %v", tt.name, got, tt.want)
		}
	}
}

func testAuditPages(t *testing.T, s Stores) {
	org, _ := auditOrgs(t, s)
	var want []string
	for i := range 5 {
		e := event("token a", inkform.AuditDocumentRead, "d"+string(rune('0'+i)), time.Time{})
		if err := s.Audit.RecordAudit(context.Background(), org.ID, e); err != nil {
			t.Fatal(err)
		}
		want = append(want, e.ID)
		nextMillisecond() // so that ID order is recording order
	}
	var got []string
	after, pages := "", 0
	for {
		events, next, err := s.Audit.ListAudit(context.Background(), org.ID, inkform.AuditFilter{After: after, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, e := range events {
			got = append(got, e.ID)
		}
		if next == "" {
			break
		}
		if len(events) != 2 || next != events[1].ID || pages > 3 {
			t.Fatalf("page %d: %d events with cursor %q; want 2 and the last one's ID", pages, len(events), next)
		}
		after = next
	}
	if !slices.Equal(got, want) || pages != 3 {
		t.Errorf("paged through %v in %d pages, want %v oldest first in 3", got, pages, want)
	}
}

func testAuditLongDetail(t *testing.T, s Stores) {
	org, _ := auditOrgs(t, s)
	e := event("token a", inkform.AuditDocumentUpdate, "d3", time.Time{})
	e.Detail = strings.Repeat("é", inkform.MaxAuditDetailLength)
	full := e.Detail
	if err := s.Audit.RecordAudit(context.Background(), org.ID, e); err != nil {
		t.Fatal(err)
	}
	got := listAudit(t, s, org.ID, inkform.AuditFilter{ObjectID: "d3"})
	if len(got) != 1 || len(got[0].Detail) > inkform.MaxAuditDetailLength || len(got[0].Detail) < inkform.MaxAuditDetailLength-1 ||
		!strings.HasPrefix(full, got[0].Detail) {
		t.Errorf("a long detail was stored as %+v; want it cut to %d bytes on a character boundary", got, inkform.MaxAuditDetailLength)
	}
}
