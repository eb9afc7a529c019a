//go:build !unix

package icrtrain

import "time"

// cpuTime is unknown here; the report then shows wall-clock speed only.
func cpuTime() time.Duration { return 0 }
