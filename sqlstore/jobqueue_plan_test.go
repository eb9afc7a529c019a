package sqlstore

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDueQueryPlan checks on SQLite that every form of the claim's query
// reads one claim index in order and nothing else: no sort (a claim would
// then read the whole queue), and no row reads for the jobs it skips
// because their limit key is full (with one busy endpoint, every
// delivery in the queue).
func TestDueQueryPlan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "plan.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, org, index string
		taken            []int64
		full             []string
	}{
		{"any org", "", "jobs_due", nil, nil},
		{"any org, full keys", "", "jobs_due", []int64{7, 9}, []string{"handler a", "handler b"}},
		{"one org", "org-1", "jobs_fair", nil, nil},
		{"one org, full key", "org-1", "jobs_fair", []int64{7}, []string{"handler a"}},
	}
	for _, tt := range tests {
		query, args := db.dueQuery("deliver", tt.org, time.Now(), 4, tt.taken, tt.full)
		rows, err := db.writer().query(ctx, "EXPLAIN QUERY PLAN "+query, args...)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var steps []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			steps = append(steps, detail)
		}
		rows.Close()
		plan := strings.Join(steps, "; ")
		if len(steps) != 1 || !strings.Contains(plan, "USING COVERING INDEX "+tt.index+" ") {
			t.Errorf("%s: plan %q, want one search of covering index %s", tt.name, plan, tt.index)
		}
	}
}
