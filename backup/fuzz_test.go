package backup

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

var fuzzColumns = []inkform.BackupColumn{
	{Name: "id", Type: inkform.ColumnInt}, {Name: "name", Type: inkform.ColumnText, Null: true},
	{Name: "data", Type: inkform.ColumnBytes},
}

// FuzzReadRows: any bytes either read as rows of the columns' types, which
// write back as the same lines, or fail with an error; nothing panics.
func FuzzReadRows(f *testing.F) {
	f.Add([]byte("[1,\"a\",\"AAE=\"]\n[-9223372036854775808,null,\"\"]\n"))
	f.Add([]byte("[1,2,3]\n"))
	f.Add([]byte("[1.5,\"a\",\"AAE=\"]\n"))
	f.Add([]byte("[1,\"a\",\"AAE=\"]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var out []byte
		_, err := readRows(bytes.NewReader(data), fuzzColumns, func(row []any) error {
			line, err := appendRow(nil, fuzzColumns, row)
			if err != nil {
				if strings.Contains(err.Error(), "not UTF-8") {
					return nil // JSON strings may carry escaped invalid text; a backup refuses it
				}
				t.Fatalf("row %v read but does not write: %v", row, err)
			}
			again, err := parseRow(line[:len(line)-1], fuzzColumns)
			if err != nil || !reflect.DeepEqual(normal(again), normal(row)) {
				t.Fatalf("row %v wrote as %q and read back as %v (%v)", row, line, again, err)
			}
			out = append(out, line...)
			return nil
		})
		_ = err
	})
}

// normal makes empty and nil byte slices equal.
func normal(row []any) []any {
	out := append([]any(nil), row...)
	for i, v := range out {
		if b, ok := v.([]byte); ok && len(b) == 0 {
			out[i] = []byte{}
		}
	}
	return out
}

// FuzzParseManifest: a manifest either parses into one whose every name
// and path passed the checks, or fails with a damaged-archive error.
func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(`{"format":"inkform-backup","formatVersion":1,"schemaVersion":12,"sourceEngine":"sqlite",` +
		`"tables":[{"name":"orgs","columns":[{"name":"id","type":"text"}],"rows":1,` +
		`"file":{"path":"db/orgs.jsonl","size":7,"sha256":"` + strings.Repeat("ab", 32) + `"}}],` +
		`"objects":[{"key":"a/b.pdf","file":{"path":"objects/a/b.pdf","size":1,"sha256":"` + strings.Repeat("cd", 32) + `"}}]}`))
	f.Add([]byte(`{"format":"inkform-backup","formatVersion":1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest(bytes.NewReader(data))
		if err != nil {
			if inkform.ErrorCode(err) != inkform.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		for _, tb := range m.Tables {
			if !inkform.ValidBackupName(tb.Name) || tb.File.Path != tableKey(tb.Name) {
				t.Fatalf("table %+v passed", tb)
			}
			for _, c := range tb.Columns {
				if !inkform.ValidBackupName(c.Name) {
					t.Fatalf("column %q passed", c.Name)
				}
			}
		}
		for _, o := range m.Objects {
			if inkform.ValidateBlobKey(o.Key) != nil || o.File.Path != objectPrefix+o.Key {
				t.Fatalf("object %+v passed", o)
			}
		}
	})
}
