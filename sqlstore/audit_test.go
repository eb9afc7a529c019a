package sqlstore_test

import (
	"context"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

func TestAuditLog(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org, other := newOrg(t, db), newOrg(t, db)
		t0 := time.UnixMicro(1_800_000_000_000_000).UTC()
		record := func(orgID, actor, action, id string, at time.Time) {
			t.Helper()
			e := &inkform.AuditEvent{At: at, Actor: actor, Action: action, Object: inkform.AuditObject{Kind: "document", ID: id}}
			if err := db.RecordAudit(ctx, orgID, e); err != nil {
				t.Fatalf("record: %v", err)
			}
		}
		record(org.ID, "token a", inkform.AuditDocumentRead, "d1", t0)
		record(org.ID, "token a", inkform.AuditDocumentUpdate, "d1", t0.Add(time.Minute))
		record(org.ID, "user b", inkform.AuditDocumentRead, "d2", t0.Add(2*time.Minute))
		record(other.ID, "token c", inkform.AuditDocumentRead, "d1", t0)

		tests := []struct {
			name   string
			org    string
			filter inkform.AuditFilter
			want   []string // actions with object IDs
		}{
			{"all", org.ID, inkform.AuditFilter{}, []string{"document.read d1", "document.update d1", "document.read d2"}},
			{"action", org.ID, inkform.AuditFilter{Action: inkform.AuditDocumentRead}, []string{"document.read d1", "document.read d2"}},
			{"object", org.ID, inkform.AuditFilter{ObjectKind: "document", ObjectID: "d1"}, []string{"document.read d1", "document.update d1"}},
			{"actor", org.ID, inkform.AuditFilter{Actor: "user b"}, []string{"document.read d2"}},
			{"since", org.ID, inkform.AuditFilter{Since: t0.Add(time.Minute)}, []string{"document.update d1", "document.read d2"}},
			{"until", org.ID, inkform.AuditFilter{Until: t0.Add(time.Minute)}, []string{"document.read d1"}},
			{"other org", other.ID, inkform.AuditFilter{}, []string{"document.read d1"}},
			{"empty", org.ID, inkform.AuditFilter{Action: "token.create"}, nil},
		}
		for _, tt := range tests {
			got, next, err := db.ListAudit(ctx, tt.org, tt.filter)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			var names []string
			for _, e := range got {
				names = append(names, e.Action+" "+e.Object.ID)
			}
			// IDs order events by millisecond only, so events recorded
			// within one may come in either order.
			slices.Sort(names)
			slices.Sort(tt.want)
			if strings.Join(names, ",") != strings.Join(tt.want, ",") || next != "" {
				t.Errorf("%s: got %v (next %q), want %v", tt.name, names, next, tt.want)
			}
		}

		// Pages of one follow the cursor through every event.
		var seen []string
		for after := ""; ; {
			page, next, err := db.ListAudit(ctx, org.ID, inkform.AuditFilter{Limit: 1, After: after})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range page {
				seen = append(seen, e.Action)
			}
			if next == "" {
				break
			}
			after = next
		}
		if len(seen) != 3 {
			t.Errorf("paging saw %v, want 3 events", seen)
		}

		// Several events are stored all or none.
		good := &inkform.AuditEvent{Actor: "token a", Action: "document.read", Object: inkform.AuditObject{Kind: "document", ID: "d4"}}
		bad := &inkform.AuditEvent{Actor: "token a", Object: inkform.AuditObject{Kind: "document", ID: "d4"}}
		wantCode(t, db.RecordAudit(ctx, org.ID, good, bad), inkform.EINVALID)
		if n := db.Count(t, "audit_events", "org_id = ? AND object_id = ?", org.ID, "d4"); n != 0 {
			t.Errorf("a refused batch stored %d event(s)", n)
		}
		good2 := &inkform.AuditEvent{Actor: "token a", Action: "document.read", Object: inkform.AuditObject{Kind: "document", ID: "d4"}}
		if err := db.RecordAudit(ctx, org.ID, good, good2); err != nil {
			t.Fatalf("record two: %v", err)
		}
		if n := db.Count(t, "audit_events", "org_id = ? AND object_id = ?", org.ID, "d4"); n != 2 || good.ID == good2.ID {
			t.Errorf("two events stored as %d rows (IDs %s, %s)", n, good.ID, good2.ID)
		}
		long := &inkform.AuditEvent{Actor: "token a", Action: "document.update", Object: inkform.AuditObject{Kind: "document", ID: "d3"},
			Detail: strings.Repeat("é", inkform.MaxAuditDetailLength)}
		if err := db.RecordAudit(ctx, org.ID, long); err != nil {
			t.Fatalf("record long detail: %v", err)
		}
		got, _, _ := db.ListAudit(ctx, org.ID, inkform.AuditFilter{ObjectID: "d3"})
		if len(got) != 1 || len(got[0].Detail) > inkform.MaxAuditDetailLength || !strings.HasPrefix(long.Detail, got[0].Detail) {
			t.Errorf("long detail stored as %+v", got)
		}
	})
}

// TestAuditLogAppendOnly fails when any statement of the store could change
// or remove an audit event: the log's worth is that nobody can edit it.
func TestAuditLogAppendOnly(t *testing.T) {
	t.Parallel()
	files, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	edit := regexp.MustCompile(`(?i)(update|delete\s+from|truncate(\s+table)?|replace\s+into)\s+audit_events`)
	checked := 0
	for _, f := range files {
		name := f.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		if m := edit.Find(src); m != nil {
			t.Errorf("%s changes audit events: %q", name, m)
		}
	}
	if checked == 0 {
		t.Fatal("no source files checked")
	}
}
