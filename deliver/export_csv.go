package deliver

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/inkform/inkform"
)

// csvColumns are the columns of an exported CSV row before the form's
// fields, which follow in form order under their names.
func csvColumns() []string {
	return []string{"document", "form", "formVersion", "status", "copy", "pen", "createdAt", "updatedAt"}
}

// csv returns a header line and one row for the document: its metadata
// and then the value of each field of its form version, in form order.
// Lines end in LF, which every CSV reader takes, rather than RFC 4180's
// CRLF: encoding/csv's CRLF mode drops a lone carriage return from a
// value, and an export must keep the values as they are.
func (e *Exporter) csv(ctx context.Context, orgID string, doc *inkform.Document) ([]byte, error) {
	if e.Forms == nil {
		return nil, fmt.Errorf("export csv: no form store")
	}
	form, err := e.Forms.FindFormVersion(ctx, orgID, doc.FormID, doc.FormVersion)
	if err != nil {
		return nil, fmt.Errorf("find form: %w", err)
	}
	header := csvColumns()
	row := []string{doc.ID, doc.FormID, strconv.Itoa(doc.FormVersion), string(doc.Status), doc.CopyID, doc.PenID,
		doc.CreatedAt.UTC().Format(time.RFC3339), doc.UpdatedAt.UTC().Format(time.RFC3339)}
	for _, f := range form.Fields {
		header = append(header, f.Name)
		row = append(row, csvValue(doc.Fields[f.Name].Value))
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	for _, rec := range [][]string{header, row} {
		for i := range rec {
			rec[i] = csvSafe(rec[i])
		}
		if err := w.Write(rec); err != nil {
			return nil, fmt.Errorf("write csv: %w", err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("write csv: %w", err)
	}
	return b.Bytes(), nil
}

// csvValue returns a field value as the text of a CSV cell: a string as
// it is, a bool as true or false, a list joined with ";" and nil as "".
func csvValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case []string:
		return strings.Join(x, ";")
	case []any:
		// A value decoded from JSON into any holds a list this way.
		parts := make([]string, len(x))
		for i, p := range x {
			parts[i] = csvValue(p)
		}
		return strings.Join(parts, ";")
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// csvSafe guards a cell against CSV formula injection (OWASP): a
// spreadsheet runs a cell starting with =, +, - or @ as a formula, and
// may skip a leading tab or carriage return to find one, so such a cell
// gets a leading apostrophe and is shown as text. Handwriting is tenant
// input, and whoever opens the export trusts it. The price is that a
// negative number such as "-5" is exported as "'-5".
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
