//go:build unix

package inkml

import (
	"syscall"
	"testing"
	"time"
)

// processCPU returns the CPU time the test process has used. On a shared
// machine wall-clock MB/s swings with the load; MB/s per CPU second does
// much less, so the benchmarks report both.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPUThroughput adds a cpu-MB/s metric for bytes processed per
// iteration since start.
func reportCPUThroughput(b *testing.B, start time.Duration, bytes int) {
	if d := processCPU() - start; d > 0 {
		b.ReportMetric(float64(bytes)*float64(b.N)/d.Seconds()/1e6, "cpu-MB/s")
	}
}
