package sqlstore

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// TestDueQueryPlan checks on SQLite that every form of the claim's query
// reads one claim index in order and nothing else: no sort (a claim would
// then read the whole queue), and no row reads for the jobs it skips
// because their limit key is full (with one busy endpoint, every
// delivery in the queue).
func TestDueQueryPlan(t *testing.T) {
	t.Parallel()
	db := planDB(t)
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
		steps := queryPlan(t, db, query, args...)
		plan := strings.Join(steps, "; ")
		if len(steps) != 1 || !strings.Contains(plan, "USING COVERING INDEX "+tt.index+" ") {
			t.Errorf("%s: plan %q, want one search of covering index %s", tt.name, plan, tt.index)
		}
	}
}

// TestPartialIndexPlans checks on SQLite that the queue's other queries of
// jobs by state find them through the partial index of that state
// (migration 00018), not by reading every job: finished jobs are kept for
// days and would outnumber the rest. So do the feed and retention queries
// through the documents' partial indexes (migration 00019).
func TestPartialIndexPlans(t *testing.T) {
	t.Parallel()
	db := planDB(t)
	now := int64(1)
	tests := []struct {
		name, query string
		args        []any
		indexes     []string // each searched or scanned, in any order
	}{
		{"queue statistics", statsQuery, []any{now, now, now, now},
			[]string{"jobs_due", "jobs_retryable", "jobs_lease", "jobs_dead"}},
		{"promotion count", promoteCountQuery, []any{"q", now}, []string{"jobs_retryable"}},
		{"promotion", promoteQuery, []any{"q", now}, []string{"jobs_retryable"}},
		{"running by limit key", runningByKeyQuery, []any{"q", "w"}, []string{"jobs_lease"}},
		{"reap", reapQuery(`state = 'dead', finished_at = ?`, `reaps + 1 >= ?`), []any{now, "why", now, 3}, []string{"jobs_lease"}},
		{"prune", db.d.deleteLimit("jobs", finishedJobsWhere, 10), []any{now}, []string{"jobs_finished"}},
		// The documents' partial indexes (migration 00019).
		{"feed", feedQuery(), []any{"o", "f", 0, 10}, []string{"documents_feed"}},
		{"expired after validation", expiredQuery("validated_at"), []any{"validated", now, 1, 10}, []string{"documents_validated"}},
		{"expired after export", expiredQuery("exported_at"), []any{"exported", now, 1, 10}, []string{"documents_exported"}},
		// An org's jobs by state and its verification queue (migration 00020).
		{"verification queues", verificationQueuesQuery, []any{"o", "o"}, []string{"documents_waiting"}},
		{"free waiting documents", freeWaitingQuery, []any{"o", "f", "", now, "u", 10}, []string{"documents_waiting"}},
	}
	for _, st := range []inkform.JobState{inkform.JobRetryable, inkform.JobCompleted, inkform.JobCancelled, inkform.JobDead,
		inkform.JobRunning, inkform.JobAvailable} {
		query, args, err := listJobsQuery("o", inkform.JobFilter{State: st, Kind: "deliver", After: 5})
		if err != nil {
			t.Fatal(err)
		}
		index := "jobs_org"
		if st == inkform.JobRunning {
			index = "jobs_lease"
		}
		tests = append(tests, struct {
			name, query string
			args        []any
			indexes     []string
		}{"jobs " + string(st), query, args, []string{index}})
	}
	for _, tt := range tests {
		steps := queryPlan(t, db, tt.query, tt.args...)
		plan := strings.Join(steps, "; ")
		for _, step := range steps {
			if strings.HasPrefix(step, "SCAN ") && !strings.Contains(step, "INDEX") {
				t.Errorf("%s: plan %q reads the whole table", tt.name, plan)
			}
		}
		for _, index := range tt.indexes {
			if p := plan + ";"; !strings.Contains(p, "INDEX "+index+" ") && !strings.Contains(p, "INDEX "+index+";") {
				t.Errorf("%s: plan %q, want it to use index %s", tt.name, plan, index)
			}
		}
	}
}

// queryPlan returns the steps of SQLite's plan for query.
func queryPlan(t *testing.T, db *DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.writer().query(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatalf("explain %q: %v", query, err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return steps
}

// planDB opens a migrated SQLite database for reading query plans.
func planDB(t *testing.T) *DB {
	t.Helper()
	db := openSQLiteT(t)
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestListJobsUnknownState checks that the job list refuses a state it
// does not know rather than writing it into its query.
func TestListJobsUnknownState(t *testing.T) {
	t.Parallel()
	db := planDB(t)
	_, err := db.ListJobs(context.Background(), "o", inkform.JobFilter{State: "done' OR '1' = '1"})
	if inkform.ErrorCode(err) != inkform.EINVALID {
		t.Errorf("list by an unknown state: %v, want EINVALID", err)
	}
}
