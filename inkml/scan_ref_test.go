package inkml

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"strconv"

	"github.com/inkform/inkform"
)

// refScanTrace is scanTrace as it was before the written-out short-number
// path (commit a5fce57), kept as the reference the differential tests and
// FuzzScanTrace compare with. It appends the points of trace text to pts (which should have room
// for them) and returns it. Points are separated by commas, values by white
// space; a prefix or a sign also starts a new value ("'1-2" is two values).
func refScanTrace(b []byte, tf *traceFormat, pts []inkform.Point) ([]inkform.Point, *scanError) {
	var st [maxChannels]chanState
	var vals [maxChannels]float64
	n := len(b)
	i := 0
	for point := 0; ; point++ {
		k := 0
		for {
			for i < n && byteClass[b[i]] == fSpace {
				i++
			}
			if i == n || b[i] == ',' {
				break
			}
			if k == tf.total {
				return nil, &scanError{i, fmt.Sprintf("point %d has more than the %d values of the trace format", point+1, tf.total)}
			}
			s := &st[k]
			if c := b[i]; byteClass[c] == fPrefix {
				s.mode = prefixMode(c)
				for i++; i < n && byteClass[b[i]] == fSpace; i++ {
				}
			}
			// The common number (optional sign, at most 15 digits, a
			// fraction, no exponent, then a separator) is converted here;
			// refParseNumber handles the rest, and the errors.
			j, sign := i, 1.0
			if j < n && byteClass[b[j]] == fSign {
				if b[j] == '-' {
					sign = -1
				}
				j++
			}
			mant, j2 := refDigitRun(b, j, 0)
			digits, frac := j2-j, 0
			j = j2
			if j < n && b[j] == '.' {
				mant, j2 = refDigitRun(b, j+1, mant)
				frac = j2 - j - 1
				digits += frac
				j = j2
			}
			var v float64
			if uint(digits-1) < 15 && (j == n || byteClass[b[j]] != 0) {
				// Without branches, which the mix of integer and
				// fractional values would mispredict; dividing by 1 and
				// multiplying by ±1 are exact.
				v = float64(mant) / pow10[frac] * sign
			} else {
				var ok bool
				if v, j, ok = refParseNumber(b, i); !ok {
					return nil, &scanError{i, fmt.Sprintf("point %d: expected a number at %s", point+1, snippet(b, i))}
				}
				if j < n && byteClass[b[j]] == 0 {
					return nil, &scanError{j, fmt.Sprintf("point %d: unexpected %s", point+1, snippet(b, j))}
				}
			}
			switch {
			case s.mode == firstDiff && s.seen < 1:
				return nil, &scanError{i, fmt.Sprintf("point %d: a first difference needs a previous value", point+1)}
			case s.mode == secondDiff && s.seen < 2:
				return nil, &scanError{i, fmt.Sprintf("point %d: a second difference needs two previous values", point+1)}
			case s.mode == firstDiff:
				v += s.last
			case s.mode == secondDiff:
				v += s.last + s.diff
			}
			if s.seen > 0 {
				s.diff = v - s.last
			}
			s.last = v
			s.seen++
			vals[k] = v
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
		pt := inkform.Point{X: vals[tf.ix] * tf.scaleX, Y: vals[tf.iy] * tf.scaleY}
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

// refDigitRun reads the digits at b[j:] onto mant and returns it and the index
// after them. Eight bytes at a time are checked and converted with SWAR
// arithmetic (as in fast_float), which avoids a mispredicted branch per digit;
// it may look at bytes between len(b) and cap(b) but never counts them.
func refDigitRun(b []byte, j int, mant uint64) (uint64, int) {
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
		// Right-align the k digits: the zero bytes shifted in are
		// leading zeros.
		d := (v - 0x3030303030303030) << (64 - 8*k)
		d = (d * 2561) >> 8 & 0x00ff00ff00ff00ff
		d = (d * 6553601) >> 16 & 0x0000ffff0000ffff
		d = (d * 42949672960001) >> 32
		mant = mant*refPow10i[k] + d
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

// refPow10i are the powers of ten refDigitRun scales by.
var refPow10i = [...]uint64{1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8}

// refParseNumber reads a decimal number at b[i:] and returns it and the index
// after it. The common case (at most 19 digits, no exponent) is converted
// without strconv and correctly rounded; the rest falls back to strconv.
func refParseNumber(b []byte, i int) (float64, int, bool) {
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
