package queue

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// snoozeError asks for the job to run again later without counting the
// attempt.
type snoozeError struct{ d time.Duration }

func (e *snoozeError) Error() string { return fmt.Sprintf("snoozed for %s", e.d) }

// Snooze returns an error that makes the job available again after d,
// without using one of its attempts (e.g. a rate limit said "later").
func Snooze(d time.Duration) error { return &snoozeError{d: d} }

// cancelError ends a job for good.
type cancelError struct{ err error }

func (e *cancelError) Error() string { return "cancelled: " + e.err.Error() }
func (e *cancelError) Unwrap() error { return e.err }

// Cancel returns an error that ends the job for good: it is not retried
// (e.g. the document it works on was deleted).
func Cancel(err error) error { return &cancelError{err: err} }

// Backoff is the delay before attempt+1 after a failed attempt: attempt⁴
// seconds plus up to 10% jitter, so that jobs failing together do not retry
// together; capped at a day. 25 attempts span about three weeks (River's
// schedule).
func Backoff(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	base := float64(attempt) * float64(attempt) * float64(attempt) * float64(attempt)
	d := time.Duration(base * float64(time.Second))
	jitter := time.Duration(rand.Int64N(int64(d)/10 + 1))
	return min(d+jitter, 24*time.Hour)
}

func isSnooze(err error) (time.Duration, bool) {
	var s *snoozeError
	if errors.As(err, &s) {
		return s.d, true
	}
	return 0, false
}

func isCancel(err error) bool {
	var c *cancelError
	return errors.As(err, &c)
}
