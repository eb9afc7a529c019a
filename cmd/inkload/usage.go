package main

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// usage is what the machine spent during an e2e run: the server
// processes' CPU seconds, inkload's own (load generator and receiver), and
// the share of the machine's CPU time that was busy. Figures on a 2-core
// machine that runs the load too mean little without the last two: a
// saturated machine and one waiting on its disk call for different
// changes.
type usage struct {
	server, self float64   // CPU seconds
	nodes        []float64 // CPU seconds of each server process, in -pids order
	db           float64   // CPU seconds of the database's processes; <0: not asked for
	busy         float64   // share of all cores' time not idle or waiting for I/O; <0: unknown
}

// usageMark is a reading taken at the start of a run.
type usageMark struct {
	nodes       []float64
	self, db    float64
	busy, total int64 // /proc/stat jiffies
}

// markUsage reads the CPU time of the server processes pids, of inkload
// itself and, when dbNames is not empty, of every process with one of those
// command names (the database server's).
func markUsage(pids []int, dbNames []string) usageMark {
	busy, total := machineTicks()
	m := usageMark{self: cpuSeconds([]int{os.Getpid()}), db: -1, busy: busy, total: total}
	// The database is read before the nodes here and after them in since,
	// so that its window holds theirs: a process counted in both (the
	// test's) never shows less database time than node time.
	if len(dbNames) > 0 {
		m.db = namedCPUSeconds(dbNames)
	}
	for _, pid := range pids {
		m.nodes = append(m.nodes, cpuSeconds([]int{pid}))
	}
	return m
}

// since returns the usage from m to now.
func (m usageMark) since(pids []int, dbNames []string) usage {
	busy, total := machineTicks()
	u := usage{self: cpuSeconds([]int{os.Getpid()}) - m.self, db: -1, busy: -1}
	for i, pid := range pids {
		u.nodes = append(u.nodes, cpuSeconds([]int{pid})-m.nodes[i])
		u.server += u.nodes[i]
	}
	if m.db >= 0 {
		u.db = namedCPUSeconds(dbNames) - m.db
	}
	if total > m.total && m.total > 0 {
		u.busy = float64(busy-m.busy) / float64(total-m.total)
	}
	return u
}

// report prints the usage per document of n documents.
func (u usage) report(n int, pids []int) string {
	var b strings.Builder
	perDoc := func(s float64) float64 { return 1000 * s / float64(n) }
	if len(pids) > 0 {
		fmt.Fprintf(&b, "server CPU: %.1f s, %.2f ms per document\n", u.server, perDoc(u.server))
	}
	if len(pids) > 1 {
		b.WriteString("server CPU by node (-pids order), ms per document:")
		for _, s := range u.nodes {
			fmt.Fprintf(&b, " %.2f", perDoc(s))
		}
		b.WriteString("\n")
	}
	if u.db >= 0 {
		fmt.Fprintf(&b, "database CPU: %.1f s, %.2f ms per document\n", u.db, perDoc(u.db))
	}
	fmt.Fprintf(&b, "load generator and receiver CPU: %.1f s, %.2f ms per document\n", u.self, 1000*u.self/float64(n))
	if u.busy >= 0 {
		fmt.Fprintf(&b, "machine: %.0f%% of %d cores busy (not idle, not waiting for I/O)\n", 100*u.busy, runtime.NumCPU())
	}
	return b.String()
}

// namedCPUSeconds sums the CPU time of every process whose command name is
// one of names. A process that ends between two readings takes its time
// with it, so this suits servers whose processes outlive the run (a
// database's pooled connections), not short-lived ones.
func namedCPUSeconds(names []string) float64 {
	dirs, _ := os.ReadDir("/proc")
	var pids []int
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		comm, err := os.ReadFile("/proc/" + d.Name() + "/comm")
		if err == nil && slices.Contains(names, strings.TrimSpace(string(comm))) {
			pids = append(pids, pid)
		}
	}
	return cpuSeconds(pids)
}

// machineTicks returns the busy and total CPU time of the machine from the
// first line of /proc/stat (Linux; 0, 0 elsewhere). Idle, iowait and
// steal (time a virtual machine's host gave to others) are not busy.
func machineTicks() (busy, total int64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 6 || f[0] != "cpu" {
		return 0, 0
	}
	for i, s := range f[1:] {
		n, _ := strconv.ParseInt(s, 10, 64)
		if i >= 8 { // guest time is counted in user time already
			break
		}
		total += n
		if i != 3 && i != 4 && i != 7 { // idle, iowait, steal
			busy += n
		}
	}
	return busy, total
}
