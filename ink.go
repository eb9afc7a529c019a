package inkform

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Point is one pen sample. X and Y are millimetres from the page's top-left
// corner (y downwards); T is milliseconds (from the submission's time origin,
// or Unix milliseconds when the pen gives absolute time); F is the pen force
// as sent (0 when the pen sends none).
type Point struct {
	X float64
	Y float64
	T int64
	F float64
}

// Stroke is the ink of one pen-down to pen-up.
type Stroke struct {
	Points []Point
}

// Bounds returns the stroke's bounding box; the zero Box for no points.
func (s *Stroke) Bounds() Box {
	if len(s.Points) == 0 {
		return Box{}
	}
	minX, minY := s.Points[0].X, s.Points[0].Y
	maxX, maxY := minX, minY
	for _, p := range s.Points[1:] {
		minX, maxX = min(minX, p.X), max(maxX, p.X)
		minY, maxY = min(minY, p.Y), max(maxY, p.Y)
	}
	return Box{X: minX, Y: minY, W: maxX - minX, H: maxY - minY}
}

// PageInk is the ink written on one page, named by its page address.
type PageInk struct {
	Address string
	Strokes []Stroke
}

// Points returns the number of points on the page.
func (p *PageInk) Points() int {
	n := 0
	for i := range p.Strokes {
		n += len(p.Strokes[i].Points)
	}
	return n
}

// InkSubmission is one transmission from a pen (or gateway): ink on one or
// more pages.
type InkSubmission struct {
	PenID string
	// SubmissionID makes resubmission idempotent: the same ID gives the
	// same answer and stores the ink once.
	SubmissionID string
	Pages        []PageInk
	ReceivedAt   time.Time
	// ContentType and Raw are the body as received, kept so that a
	// submission for an unknown page address can be quarantined and
	// re-processed later.
	ContentType string
	Raw         []byte
}

// ClientIDProblem says what is wrong with v as an identifier a client
// chose (a pen ID, a submission ID, an Idempotency-Key), "" when nothing
// is: it must be 1 to max bytes of UTF-8 without control characters, so
// it can be stored, logged and compared on every database alike.
func ClientIDProblem(what, v string, max int) string {
	switch {
	case v == "":
		return "the " + what + " is empty"
	case len(v) > max:
		return fmt.Sprintf("the %s is longer than %d bytes", what, max)
	case !utf8.ValidString(v):
		return "the " + what + " is not valid UTF-8"
	case strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }):
		return "the " + what + " contains control characters"
	}
	return ""
}

// Capture limits (defaults; the server's configuration may lower them).
const (
	DefaultMaxBodyBytes      = 10 << 20
	DefaultMaxPoints         = 1_000_000
	DefaultMaxTraces         = 20_000
	DefaultMaxPagesPerSubmit = 200
	MaxSubmissionIDLength    = 200
	MaxPenIDLength           = 100
)
