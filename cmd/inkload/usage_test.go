package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

// TestUsageByNodeAndDatabase reads this process's CPU time as two nodes
// and, by its command name, as the database's, after burning some CPU.
func TestUsageByNodeAndDatabase(t *testing.T) {
	comm, err := os.ReadFile("/proc/self/comm")
	if err != nil {
		t.Skip("no /proc: CPU time is read on Linux only")
	}
	names := []string{strings.TrimSpace(string(comm))}
	pids := []int{os.Getpid(), os.Getpid()}
	m := markUsage(pids, names)
	// Clock ticks are 10 ms: burn well over one.
	for end := time.Now().Add(150 * time.Millisecond); time.Now().Before(end); {
	}
	u := m.since(pids, names)
	if len(u.nodes) != 2 || u.nodes[0] <= 0 || u.nodes[0] != u.nodes[1] {
		t.Fatalf("nodes = %v; want two equal positive readings", u.nodes)
	}
	if u.server != u.nodes[0]+u.nodes[1] {
		t.Errorf("server = %v; want the sum of %v", u.server, u.nodes)
	}
	if u.db < u.nodes[0] {
		t.Errorf("db = %v; want at least this process's %v", u.db, u.nodes[0])
	}
	report := u.report(10, pids)
	for _, want := range []string{"server CPU by node (-pids order), ms per document:", "database CPU:"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	if none := markUsage(pids, nil).since(pids, nil); none.db >= 0 || strings.Contains(none.report(10, pids), "database CPU") {
		t.Errorf("without database names: db = %v, report %q", none.db, none.report(10, pids))
	}
}
