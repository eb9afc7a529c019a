package main

import (
	"fmt"
	"os"
	"runtime"
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
	server, self float64 // CPU seconds
	busy         float64 // share of all cores' time not idle or waiting for I/O; <0: unknown
}

// usageMark is a reading taken at the start of a run.
type usageMark struct {
	server, self float64
	busy, total  int64 // /proc/stat jiffies
}

func markUsage(pids []int) usageMark {
	busy, total := machineTicks()
	return usageMark{server: cpuSeconds(pids), self: cpuSeconds([]int{os.Getpid()}), busy: busy, total: total}
}

// since returns the usage from m to now.
func (m usageMark) since(pids []int) usage {
	busy, total := machineTicks()
	u := usage{server: cpuSeconds(pids) - m.server, self: cpuSeconds([]int{os.Getpid()}) - m.self, busy: -1}
	if total > m.total && m.total > 0 {
		u.busy = float64(busy-m.busy) / float64(total-m.total)
	}
	return u
}

// report prints the usage per document of n documents.
func (u usage) report(n int, pids []int) string {
	var b strings.Builder
	if len(pids) > 0 {
		fmt.Fprintf(&b, "server CPU: %.1f s, %.2f ms per document\n", u.server, 1000*u.server/float64(n))
	}
	fmt.Fprintf(&b, "load generator and receiver CPU: %.1f s, %.2f ms per document\n", u.self, 1000*u.self/float64(n))
	if u.busy >= 0 {
		fmt.Fprintf(&b, "machine: %.0f%% of %d cores busy (not idle, not waiting for I/O)\n", 100*u.busy, runtime.NumCPU())
	}
	return b.String()
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
