// Package inkform holds the domain of the inkform server: organizations,
// tokens, form templates, ink, documents, jobs and the interfaces that the
// service packages (sqlstore, queue, interpret, icr, http, …) implement or use.
//
// It imports only the standard library. Subpackages implement its interfaces
// for one dependency each; cmd/inkform wires them together.
package inkform

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"time"
)

// NewID returns a new identifier: a UUID version 7 in its canonical text form.
// IDs sort by creation time, so they serve as pagination cursors and keep
// B-tree inserts local. The 12 bits after the millisecond timestamp hold
// the fraction of the millisecond (RFC 9562, method 3: about 250 ns), so
// that things done one after the other within a millisecond — a read, then
// a purge — also sort in that order, as the audit log lists them.
func NewID() string {
	return newIDAt(time.Now())
}

func newIDAt(t time.Time) string {
	var u [16]byte
	if _, err := rand.Read(u[6:]); err != nil {
		// crypto/rand never fails on supported platforms (Go 1.24+ panics itself).
		panic(err)
	}
	ms := uint64(t.UnixMilli())
	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], ms)
	copy(u[0:6], ts[2:8])
	frac := uint16(int64(t.Nanosecond()%1_000_000) * 4096 / 1_000_000) // 0–4095
	u[6] = 0x70 | byte(frac>>8)                                        // version 7
	u[7] = byte(frac)
	u[8] = (u[8] & 0x3f) | 0x80 // RFC 9562 variant

	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:36], u[10:16])
	return string(b[:])
}

// ValidID reports whether s has the shape of an ID made by NewID. Subscriptions use
// it to answer 404 for malformed IDs without asking the database.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return false
			}
		}
	}
	return true
}

// Page sizes of lists: a filter's Limit of zero means DefaultListLimit,
// and no page holds more than MaxListLimit.
const (
	DefaultListLimit = 50
	MaxListLimit     = 500
)

// ListLimit turns a filter's Limit into the size of the page a store
// returns.
func ListLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultListLimit
	case n > MaxListLimit:
		return MaxListLimit
	}
	return n
}
