//go:build unix

package sqlstore_test

import (
	"syscall"
	"time"
)

// processCPU returns the user plus system CPU time of this process. On a
// shared 2-core machine wall-clock rates swing with the neighbours' load;
// CPU time per operation is the steadier figure for SQLite, which runs
// in-process.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
