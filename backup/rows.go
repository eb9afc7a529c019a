package backup

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/inkform/inkform"
)

// A table file has one JSON array per line, one element per column: a
// number for int (the digits of an int64, never a float), a string for
// text, a base64 string for bytes, null for NULL. JSON keeps the archive
// readable with ordinary tools, and the column types in the manifest make
// every value exact in every engine.

// appendRow appends the line of row to buf.
func appendRow(buf []byte, cols []inkform.BackupColumn, row []any) ([]byte, error) {
	if len(row) != len(cols) {
		return nil, fmt.Errorf("row has %d values for %d columns", len(row), len(cols))
	}
	buf = append(buf, '[')
	for i, v := range row {
		if i > 0 {
			buf = append(buf, ',')
		}
		c := cols[i]
		switch v := v.(type) {
		case nil:
			if !c.Null {
				return nil, fmt.Errorf("column %s is NULL", c.Name)
			}
			buf = append(buf, "null"...)
		case int64:
			if c.Type != inkform.ColumnInt {
				return nil, fmt.Errorf("column %s holds an integer", c.Name)
			}
			buf = strconv.AppendInt(buf, v, 10)
		case string:
			if c.Type != inkform.ColumnText {
				return nil, fmt.Errorf("column %s holds text", c.Name)
			}
			// JSON would replace invalid UTF-8 silently; a backup
			// that changes data is worse than one that stops.
			if !utf8.ValidString(v) {
				return nil, fmt.Errorf("column %s holds text that is not UTF-8", c.Name)
			}
			b, _ := json.Marshal(v)
			buf = append(buf, b...)
		case []byte:
			if c.Type != inkform.ColumnBytes {
				return nil, fmt.Errorf("column %s holds bytes", c.Name)
			}
			buf = append(buf, '"')
			buf = base64.StdEncoding.AppendEncode(buf, v)
			buf = append(buf, '"')
		default:
			return nil, fmt.Errorf("column %s holds a %T", c.Name, v)
		}
	}
	return append(buf, ']', '\n'), nil
}

// parseRow reads one line into fresh values of the columns' types.
func parseRow(line []byte, cols []inkform.BackupColumn) ([]any, error) {
	var raw []json.RawMessage
	if err := json.Unmarshal(line, &raw); err != nil {
		return nil, fmt.Errorf("not a JSON array: %v", err)
	}
	if len(raw) != len(cols) {
		return nil, fmt.Errorf("%d values for %d columns", len(raw), len(cols))
	}
	row := make([]any, len(cols))
	for i, r := range raw {
		c := cols[i]
		if bytes.Equal(r, []byte("null")) {
			if !c.Null {
				return nil, fmt.Errorf("column %s is null", c.Name)
			}
			continue
		}
		switch c.Type {
		case inkform.ColumnInt:
			n, err := strconv.ParseInt(string(r), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("column %s: %s is not an integer", c.Name, truncate(r))
			}
			row[i] = n
		case inkform.ColumnText, inkform.ColumnBytes:
			var s string
			if len(r) == 0 || r[0] != '"' || json.Unmarshal(r, &s) != nil {
				return nil, fmt.Errorf("column %s: %s is not a string", c.Name, truncate(r))
			}
			if c.Type == inkform.ColumnText {
				row[i] = s
				continue
			}
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return nil, fmt.Errorf("column %s: not base64: %v", c.Name, err)
			}
			row[i] = b
		}
	}
	return row, nil
}

func truncate(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}

// errLongLine is a line over MaxRowBytes.
var errLongLine = errors.New("a row is longer than the limit")

// readLine returns the next line without its newline, io.EOF after the
// last. A last line without a newline is a truncated file.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		frag, err := br.ReadSlice('\n')
		if len(line)+len(frag) > max+1 {
			return nil, errLongLine
		}
		line = append(line, frag...)
		switch {
		case err == nil:
			return line[:len(line)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(line) > 0:
			return nil, io.ErrUnexpectedEOF
		default:
			return nil, err
		}
	}
}

// formatError is a table file that does not read as rows; errors of fn
// pass readRows unchanged.
type formatError struct{ err error }

func (e *formatError) Error() string { return e.err.Error() }

// readRows calls fn for each row of a table file.
func readRows(r io.Reader, cols []inkform.BackupColumn, fn func([]any) error) (int64, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	var n int64
	for {
		line, err := readLine(br, MaxRowBytes)
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, &formatError{fmt.Errorf("row %d: %w", n+1, err)}
		}
		row, err := parseRow(line, cols)
		if err != nil {
			return n, &formatError{fmt.Errorf("row %d: %w", n+1, err)}
		}
		n++
		if err := fn(row); err != nil {
			return n, err
		}
	}
}
