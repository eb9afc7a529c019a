package inkml

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"strconv"

	"github.com/inkform/inkform"
)

// scanError is a problem in trace text at byte offset off.
type scanError struct {
	off int
	msg string
}

// Value interpretations (W3C InkML 3.2.1): a value is explicit ("!"), a
// first difference ("'") or a second difference ("\""); without a prefix it
// is read like the channel's previous value, and explicitly at the start of
// a trace.
const (
	explicit = iota
	firstDiff
	secondDiff
)

// chanState is what a channel remembers between points of one trace.
type chanState struct {
	mode byte
	seen int     // values given so far
	last float64 // previous value
	diff float64 // previous first difference
}

// pow10 holds the powers of ten that float64 represents exactly, so that
// mantissa / pow10[k] is correctly rounded.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// scanTrace appends the points of trace text to pts (which should have room
// for them) and returns it. Points are separated by commas, values by white
// space; a prefix or a sign also starts a new value ("'1-2" is two values).
func scanTrace(b []byte, tf *traceFormat, pts []inkform.Point) ([]inkform.Point, *scanError) {
	// st[k].last is also the value of channel k in the current point: a
	// channel the point leaves out keeps its previous value.
	var st [maxChannels]chanState
	n := len(b)
	i := 0
	for point := 0; ; point++ {
		k := 0
		for {
			// The class of the byte the space loop stops at decides what
			// follows, without loading the byte again.
			c := uint8(0)
			for ; i < n; i++ {
				if c = byteClass[b[i]]; c != fSpace {
					break
				}
			}
			if i == n || c == fComma {
				break
			}
			if k == tf.total {
				return nil, &scanError{i, fmt.Sprintf("point %d has more than the %d values of the trace format", point+1, tf.total)}
			}
			s := &st[k]
			if c == fPrefix {
				s.mode = prefixMode(b[i])
				for i++; i < n && byteClass[b[i]] == fSpace; i++ {
				}
				if c = 0; i < n {
					c = byteClass[b[i]]
				}
			}
			// The common number (optional sign, at most 15 digits, a
			// fraction, no exponent, then a separator) is converted here;
			// parseNumber handles the rest, and the errors. Numbers of at
			// most seven digits and a point ("106.125", what pens send)
			// are found and converted from one 8-byte load.
			j, sign := i, 1.0
			if c == fSign {
				if b[j] == '-' {
					sign = -1
				}
				j++
			}
			var v float64
			if w, rem := uint64(0), n-j; j+8 <= cap(b) {
				// Written out here, not called: Go keeps no register
				// across a call, and the loop holds many. Measured: a
				// function for it cost a fifth of the scan.
				w = binary.LittleEndian.Uint64(b[j : j+8 : j+8])
				nondigit := (w&0xf0f0f0f0f0f0f0f0 ^ 0x3030303030303030) | ((w+0x0606060606060606)&0xf0f0f0f0f0f0f0f0 ^ 0x3030303030303030)
				e := min(bits.TrailingZeros64(nondigit)/8, rem) // end of the digits
				frac := 0
				// Shift counts are masked to spare the checks for shifts of
				// 64 or more: e is 8 only when byte 0 is a digit.
				if e < rem && byte(w>>(8*e&63)) == '.' {
					// The fraction ends at the next non-digit; a carry in
					// nondigit only disturbs bytes after that one. Moving
					// the integer digits up over the point, with a zero
					// in byte 0, leaves e bytes of digits.
					k := e
					e = min(bits.TrailingZeros64(nondigit&(^uint64(0)<<(8*k&63)<<8))/8, rem)
					lo := uint64(1)<<(8*k&63) - 1
					w = (w&lo)<<8 | w&^(lo<<8|0xff) | '0'
					frac = e - k - 1
					if e == 1 {
						e = 8 // a lone "." is no number
					}
				}
				// Past the eight bytes, or no digits, or not followed by
				// a separator: the general path decides.
				if uint(e-1) < 7 && (e == rem || byteClass[b[j+e]] != 0) {
					// Multiplying by ±1 is exact and a negated quotient is
					// the quotient of the negated dividend, so skipping the
					// division of integers changes no bit of the result.
					if v = float64(swarDigits(w, e)) * sign; frac != 0 {
						v /= pow10[frac]
					}
					j += e
					goto number
				}
			}
			if mant, frac, end, ok := longNumber(b, j); ok {
				v = float64(mant) / pow10[frac] * sign
				j = end
			} else {
				var ok bool
				if v, j, ok = parseNumber(b, i); !ok {
					return nil, &scanError{i, fmt.Sprintf("point %d: expected a number at %s", point+1, snippet(b, i))}
				}
				if j < n && byteClass[b[j]] == 0 {
					return nil, &scanError{j, fmt.Sprintf("point %d: unexpected %s", point+1, snippet(b, j))}
				}
			}
		number:
			if s.mode != explicit {
				if s.mode == firstDiff {
					if s.seen < 1 {
						return nil, &scanError{i, fmt.Sprintf("point %d: a first difference needs a previous value", point+1)}
					}
					v += s.last
				} else {
					if s.seen < 2 {
						return nil, &scanError{i, fmt.Sprintf("point %d: a second difference needs two previous values", point+1)}
					}
					v += s.last + s.diff
				}
			}
			// Set unconditionally: the difference taken from the first
			// value is replaced by the second before any use.
			s.diff = v - s.last
			s.last = v
			s.seen++
			i = j
			k++
		}
		if k < tf.regular {
			if k == 0 && point == 0 && i == n {
				return nil, &scanError{i, "the trace has no points"}
			}
			return nil, &scanError{i, fmt.Sprintf("point %d has %d values, the trace format needs %d", point+1, k, tf.regular)}
		}
		// A missing intermittent T or F keeps its previous value.
		pt := inkform.Point{X: st[tf.ix].last * tf.scaleX, Y: st[tf.iy].last * tf.scaleY}
		t := 0.0
		if tf.it >= 0 {
			t = st[tf.it].last * tf.scaleT
		}
		if tf.iff >= 0 {
			pt.F = st[tf.iff].last
		}
		// One comparison chain that NaN also fails; the message is
		// worked out only then.
		if !(math.Abs(pt.X) <= maxCoordMM && math.Abs(pt.Y) <= maxCoordMM && math.Abs(t) <= maxTimeMS && math.Abs(pt.F) <= maxForce) {
			return nil, &scanError{i, fmt.Sprintf("point %d: %s", point+1, pointProblem(pt.X, pt.Y, t, pt.F))}
		}
		pt.T = int64(math.Round(t))
		pts = append(pts, pt)
		if i == n {
			return pts, nil
		}
		i++ // the comma
	}
}

// digitRun reads the digits at b[j:] onto mant and returns it and the index
// after them. Eight bytes at a time are checked and converted with SWAR
// arithmetic (as in fast_float), which avoids a mispredicted branch per digit;
// it may look at bytes between len(b) and cap(b) but never counts them.
func digitRun(b []byte, j int, mant uint64) (uint64, int) {
	for j+8 <= cap(b) {
		v := binary.LittleEndian.Uint64(b[j : j+8 : j+8])
		// A byte is a digit when its high nibble is 3 and adding 6 keeps
		// it so (0x30–0x39). A carry out of a byte of 0xfa or more can
		// only disturb later bytes, and that byte already ends the run.
		nondigit := (v&0xf0f0f0f0f0f0f0f0 ^ 0x3030303030303030) | ((v+0x0606060606060606)&0xf0f0f0f0f0f0f0f0 ^ 0x3030303030303030)
		k := bits.TrailingZeros64(nondigit) / 8
		k = min(k, len(b)-j)
		if k <= 0 {
			return mant, j
		}
		mant = mant*pow10i[k] + swarDigits(v, k)
		j += k
		if k < 8 {
			return mant, j
		}
	}
	for ; j < len(b) && b[j]-'0' <= 9; j++ {
		mant = mant*10 + uint64(b[j]-'0')
	}
	return mant, j
}

// pow10i are the powers of ten digitRun scales by.
var pow10i = [...]uint64{1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8}

// parseNumber reads a decimal number at b[i:] and returns it and the index
// after it. The common case (at most 19 digits, no exponent) is converted
// without strconv and correctly rounded; the rest falls back to strconv.
func parseNumber(b []byte, i int) (float64, int, bool) {
	n, start := len(b), i
	neg := false
	if i < n && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	var mant uint64
	digits, frac := 0, 0
	for ; i < n && isDigit(b[i]); i++ {
		mant = mant*10 + uint64(b[i]-'0')
		digits++
	}
	if i < n && b[i] == '.' {
		for i++; i < n && isDigit(b[i]); i++ {
			mant = mant*10 + uint64(b[i]-'0')
			digits++
			frac++
		}
	}
	if digits == 0 {
		return 0, i, false
	}
	slow := digits > 19 || mant > 1<<53 || frac >= len(pow10)
	if i < n && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < n && (b[i] == '-' || b[i] == '+') {
			i++
		}
		if i == n || !isDigit(b[i]) {
			return 0, i, false
		}
		for i < n && isDigit(b[i]) {
			i++
		}
		slow = true
	}
	if slow {
		v, err := strconv.ParseFloat(string(b[start:i]), 64)
		if err != nil || math.IsInf(v, 0) {
			return 0, i, false
		}
		return v, i, true
	}
	v := float64(mant)
	if frac > 0 {
		v /= pow10[frac]
	}
	if neg {
		v = -v
	}
	return v, i, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// Byte classes of trace text. Every class but 0 may follow a number: a
// separator, or a prefix or sign starting the next value.
const (
	fSpace = 1 + iota
	fComma
	fPrefix
	fSign
)

// byteClass classifies bytes for the scanner; a lookup is cheaper than a
// chain of comparisons. It is never written.
var byteClass = [256]uint8{
	' ': fSpace, '\t': fSpace, '\n': fSpace, '\r': fSpace,
	',': fComma,
	'!': fPrefix, '\'': fPrefix, '"': fPrefix,
	'-': fSign, '+': fSign,
}

// prefixMode returns the interpretation a prefix byte selects.
func prefixMode(c byte) byte {
	switch c {
	case '\'':
		return firstDiff
	case '"':
		return secondDiff
	}
	return explicit
}

// snippet quotes a few bytes of trace text for an error message.
func snippet(b []byte, i int) string {
	if i >= len(b) {
		return "the end of the trace"
	}
	return strconv.Quote(string(b[i:min(i+12, len(b))]))
}

// swarDigits converts the k (1–8) ASCII digits in the low bytes of w, first
// digit lowest, to their value. Bytes above k are ignored; a borrow from
// subtracting '0' only moves towards them.
func swarDigits(w uint64, k int) uint64 {
	// Right-align the k digits: the zero bytes shifted in are leading
	// zeros.
	d := (w - 0x3030303030303030) << ((64 - 8*k) & 63)
	d = (d * 2561) >> 8 & 0x00ff00ff00ff00ff
	d = (d * 6553601) >> 16 & 0x0000ffff0000ffff
	return (d * 42949672960001) >> 32
}

// longNumber is the general form of shortNumber: up to 15 digits with an
// optional point, any length of input, then a separator or the end.
func longNumber(b []byte, j int) (mant uint64, frac, end int, ok bool) {
	mant, j2 := digitRun(b, j, 0)
	digits := j2 - j
	j = j2
	if j < len(b) && b[j] == '.' {
		mant, j2 = digitRun(b, j+1, mant)
		frac = j2 - j - 1
		digits += frac
		j = j2
	}
	if uint(digits-1) < 15 && (j == len(b) || byteClass[b[j]] != 0) {
		return mant, frac, j, true
	}
	return 0, 0, 0, false
}
