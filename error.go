package inkform

import (
	"errors"
	"fmt"
	"time"
)

// Error codes. The http package maps each to exactly one HTTP status; no other
// package knows about status codes.
const (
	EINVALID       = "invalid"       // malformed request (400)
	EUNAUTHORIZED  = "unauthorized"  // missing or bad credentials (401)
	EFORBIDDEN     = "forbidden"     // authenticated, but the role may not (403)
	ENOTFOUND      = "not_found"     // does not exist, or belongs to another org (404)
	ECONFLICT      = "conflict"      // clashes with existing state (409)
	ETOOLARGE      = "too_large"     // body or content over a limit (413)
	EUNSUPPORTED   = "unsupported"   // unsupported media type (415)
	EUNPROCESSABLE = "unprocessable" // well-formed but semantically wrong (422)
	ETOOMANY       = "too_many"      // the caller must slow down (429)
	EUNAVAILABLE   = "unavailable"   // not ready, draining or overloaded (503)
	EINTERNAL      = "internal"      // a bug or an outage; details are logged, not shown (500)
)

// Error is an application error: a code, a message safe to show to the
// caller, and optionally a list of problems with single items of the input.
type Error struct {
	Code     string
	Message  string
	Problems []Problem
	// RetryAfter, when set on an ETOOMANY or EUNAVAILABLE error, is when
	// the caller may try again.
	RetryAfter time.Duration
}

// Problem is one thing wrong with one part of the input, named by a path such
// as "fields[2].box" or "patient_no".
type Problem struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("inkform error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or a
// generic message for any other error (whose text may hold internals).
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// ErrorProblems returns the problems of the first *Error in err's chain.
func ErrorProblems(err error) []Problem {
	var e *Error
	if errors.As(err, &e) {
		return e.Problems
	}
	return nil
}

// ErrorRetryAfter returns the RetryAfter of the first *Error in err's
// chain, zero when there is none.
func ErrorRetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// Unavailable marks err, a failure of a backing service (the database, the
// object store) that a retry later may not meet — a lost connection, a full
// disk — as EUNAVAILABLE with a message safe to show and a RetryAfter,
// keeping err in the chain for the log. An error that has a code already
// is returned as it is.
func Unavailable(err error, message string, retryAfter time.Duration) error {
	var e *Error
	if err == nil || errors.As(err, &e) {
		return err
	}
	return fmt.Errorf("%w: %w", &Error{Code: EUNAVAILABLE, Message: message, RetryAfter: retryAfter}, err)
}

// ValuesError is the EUNPROCESSABLE error for field values a request
// cannot use: the message names the first problem in full and counts the
// rest, which are all in Problems, so a person reading only the message
// still knows where to look.
func ValuesError(problems []Problem) *Error {
	first := problems[0].Path + " " + problems[0].Message
	var msg string
	switch n := len(problems) - 1; n {
	case 0:
		msg = "a field value cannot be used: " + first
	case 1:
		msg = "field values cannot be used: " + first + ", and one more problem (see problems)"
	default:
		msg = fmt.Sprintf("field values cannot be used: %s, and %d more problems (see problems)", first, n)
	}
	e := Errorf(EUNPROCESSABLE, "%s", msg)
	e.Problems = problems
	return e
}
