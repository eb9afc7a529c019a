package backup

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"slices"

	"github.com/inkform/inkform"
)

// spooled is a table file written to local disk first: its size and
// checksum must be known before it is stored (S3 wants the length), and a
// table that names objects is filtered once the objects are copied.
type spooled struct {
	table   inkform.BackupTable
	f       *os.File
	rows    int64
	leftOut int64
}

// spoolTable writes the rows of t from the snapshot to a temporary file.
func spoolTable(ctx context.Context, s inkform.BackupSnapshot, t inkform.BackupTable, dir string) (*spooled, error) {
	f, err := os.CreateTemp(dir, "inkform-backup-*.jsonl")
	if err != nil {
		return nil, fmt.Errorf("spool %s: %w", t.Name, err)
	}
	sp := &spooled{table: t, f: f}
	w := bufio.NewWriterSize(f, 1<<16)
	var line []byte
	err = s.Rows(ctx, t.Name, func(row []any) error {
		line, err = appendRow(line[:0], t.Columns, row)
		if err != nil {
			return fmt.Errorf("table %s row %d: %w", t.Name, sp.rows+1, err)
		}
		sp.rows++
		_, err = w.Write(line)
		return err
	})
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		sp.remove()
		return nil, fmt.Errorf("spool %s: %w", t.Name, err)
	}
	return sp, nil
}

// store writes the file into the archive and lists it in the manifest.
func (sp *spooled) store(ctx context.Context, archive inkform.BlobStore, m *Manifest) error {
	h := sha256.New()
	size, err := hashFile(sp.f, h)
	if err != nil {
		return fmt.Errorf("spool %s: %w", sp.table.Name, err)
	}
	key := tableKey(sp.table.Name)
	if err := archive.Put(ctx, key, sp.f, size, "application/jsonl"); err != nil {
		return fmt.Errorf("write %s: %w", key, err)
	}
	m.Tables = append(m.Tables, Table{BackupTable: sp.table, Rows: sp.rows, LeftOut: sp.leftOut,
		File: File{Path: key, Size: size, SHA256: hex.EncodeToString(h.Sum(nil))}})
	return nil
}

// filter rewrites the file without the rows whose object was not copied.
func (sp *spooled) filter(copied map[string]bool, dir string) error {
	col := slices.IndexFunc(sp.table.Columns, func(c inkform.BackupColumn) bool { return c.Name == sp.table.BlobKey })
	if col < 0 {
		return fmt.Errorf("table %s has no column %s", sp.table.Name, sp.table.BlobKey)
	}
	out, err := os.CreateTemp(dir, "inkform-backup-*.jsonl")
	if err != nil {
		return fmt.Errorf("filter %s: %w", sp.table.Name, err)
	}
	kept := &spooled{table: sp.table, f: out}
	if _, err := sp.f.Seek(0, 0); err != nil {
		kept.remove()
		return err
	}
	w := bufio.NewWriterSize(out, 1<<16)
	var line []byte
	_, err = readRows(sp.f, sp.table.Columns, func(row []any) error {
		if key, _ := row[col].(string); !copied[key] {
			kept.leftOut++
			return nil
		}
		kept.rows++
		line, err = appendRow(line[:0], sp.table.Columns, row)
		if err == nil {
			_, err = w.Write(line)
		}
		return err
	})
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		kept.remove()
		return fmt.Errorf("filter %s: %w", sp.table.Name, err)
	}
	sp.remove()
	*sp = *kept
	return nil
}

func (sp *spooled) remove() {
	if sp.f != nil {
		sp.f.Close()
		os.Remove(sp.f.Name())
		sp.f = nil
	}
}
