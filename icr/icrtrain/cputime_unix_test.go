//go:build unix

package icrtrain

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used. On a shared machine it
// measures speed per core better than the wall clock, which counts the
// time other processes hold the CPU.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
