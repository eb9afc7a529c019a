//go:build !unix

package inkml

import (
	"testing"
	"time"
)

// processCPU is not measured here; the cpu-MB/s metric is left out.
func processCPU() time.Duration { return 0 }

func reportCPUThroughput(b *testing.B, start time.Duration, bytes int) {}
