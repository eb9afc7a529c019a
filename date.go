package inkform

import (
	"strconv"
	"strings"
	"time"
)

// DateFormat is a parsed date format such as DDMMYY or DD.MM.YYYY: the
// tokens DD, MM, YY and YYYY with optional separators . / - and space.
type DateFormat struct {
	Format string
	parts  []string // tokens and separators in order
}

// ParseDateFormat parses a date format; it needs DD, MM and a year once each.
func ParseDateFormat(format string) (DateFormat, error) {
	df := DateFormat{Format: format}
	seen := map[string]bool{}
	for s := format; s != ""; {
		var tok string
		switch {
		case strings.HasPrefix(s, "YYYY"):
			tok = "YYYY"
		case strings.HasPrefix(s, "YY"):
			tok = "YY"
		case strings.HasPrefix(s, "DD"):
			tok = "DD"
		case strings.HasPrefix(s, "MM"):
			tok = "MM"
		case strings.ContainsRune("./- ", rune(s[0])):
			tok = s[:1]
		default:
			return df, Errorf(EUNPROCESSABLE, "date format %q: use DD, MM, YY or YYYY and the separators . / - or space", format)
		}
		key := tok
		if tok == "YYYY" {
			key = "YY"
		}
		if len(tok) > 1 {
			if seen[key] {
				return df, Errorf(EUNPROCESSABLE, "date format %q names %s twice", format, tok)
			}
			seen[key] = true
		}
		df.parts = append(df.parts, tok)
		s = s[len(tok):]
	}
	if !seen["DD"] || !seen["MM"] || !seen["YY"] {
		return df, Errorf(EUNPROCESSABLE, "date format %q needs DD, MM and YY or YYYY", format)
	}
	return df, nil
}

// Parse reads a date written in the format. Two-digit years 00–69 are
// 2000–2069, 70–99 are 1970–1999.
func (df DateFormat) Parse(s string) (time.Time, error) {
	bad := Errorf(EUNPROCESSABLE, "%q is not a date in the format %s", s, df.Format)
	var day, month, year int
	rest := s
	for _, p := range df.parts {
		if len(rest) < len(p) {
			return time.Time{}, bad
		}
		chunk := rest[:len(p)]
		rest = rest[len(p):]
		if len(p) == 1 {
			if chunk != p {
				return time.Time{}, bad
			}
			continue
		}
		n, err := strconv.Atoi(chunk)
		if err != nil || strings.ContainsAny(chunk, "+-") {
			return time.Time{}, bad
		}
		switch p {
		case "DD":
			day = n
		case "MM":
			month = n
		case "YY":
			year = 1900 + n
			if n < 70 {
				year = 2000 + n
			}
		case "YYYY":
			year = n
		}
	}
	if rest != "" {
		return time.Time{}, bad
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if month < 1 || month > 12 || day < 1 || t.Day() != day || int(t.Month()) != month {
		return time.Time{}, Errorf(EUNPROCESSABLE, "%q is not a calendar date (format %s)", s, df.Format)
	}
	return t, nil
}

// Check reports whether s is a valid date in the format.
func (df DateFormat) Check(s string) error {
	_, err := df.Parse(s)
	return err
}
