package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/inkform/inkform"
)

var (
	_ inkform.DatabaseExporter = (*DB)(nil)
	_ inkform.DatabaseImporter = (*DB)(nil)
)

// ExportSnapshot implements inkform.DatabaseExporter. The snapshot is one
// read-only transaction on the primary (REPEATABLE READ on PostgreSQL and
// MySQL; SQLite's WAL gives a reader its own snapshot), so ingest and
// workers carry on while a backup reads. It refuses a database whose schema
// is not this binary's: the table list below describes the newest schema.
func (db *DB) ExportSnapshot(ctx context.Context, fn func(inkform.BackupSnapshot) error) error {
	pool := db.w
	if db.d.embedded() {
		pool = db.r // the single writer connection stays free for ingest
	}
	tx, err := pool.BeginTx(ctx, db.d.snapshotTxOptions())
	if err != nil {
		return fmt.Errorf("export: begin snapshot: %w", outage(err))
	}
	defer tx.Rollback()
	q := db.inTx(tx)
	var v sql.NullInt64
	if err := q.queryRow(ctx, `SELECT MAX(version_id) FROM goose_db_version`).Scan(&v); err != nil {
		return fmt.Errorf("export: schema version (is the database migrated?): %w", err)
	}
	if latest := MigrationsVersion(); v.Int64 != latest {
		return inkform.Errorf(inkform.EINVALID, "the database is at schema version %d and this inkform's is %d: back up with the inkform that migrated it, or run inkform migrate first", v.Int64, latest)
	}
	tables := backupTables()
	for _, t := range tables {
		if err := checkColumns(ctx, q, t); err != nil {
			return err
		}
	}
	return fn(&snapshot{q: q, version: v.Int64, tables: tables})
}

// checkColumns fails when the database's table has other columns than the
// backup's list, so that a new column cannot go missing from backups.
func checkColumns(ctx context.Context, q querier, t backupTable) error {
	rows, err := q.query(ctx, "SELECT * FROM "+t.Name+" WHERE 1 = 0")
	if err != nil {
		return fmt.Errorf("export: columns of %s: %w", t.Name, err)
	}
	have, err := rows.Columns()
	rows.Close()
	if err != nil {
		return fmt.Errorf("export: columns of %s: %w", t.Name, err)
	}
	want := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		want[i] = c.Name
	}
	have = slices.Clone(have)
	for i := range have {
		have[i] = strings.ToLower(have[i])
	}
	slices.Sort(have)
	slices.Sort(want)
	if !slices.Equal(have, want) {
		return fmt.Errorf("table %s has columns %v but the backup knows %v (sqlstore/backup_tables.go is behind a migration)", t.Name, have, want)
	}
	return nil
}

// snapshot is inkform.BackupSnapshot over a read transaction.
type snapshot struct {
	q       querier
	version int64
	tables  []backupTable
}

func (s *snapshot) SchemaVersion() int64 { return s.version }

func (s *snapshot) Tables() []inkform.BackupTable {
	out := make([]inkform.BackupTable, len(s.tables))
	for i, t := range s.tables {
		out[i] = t.BackupTable
	}
	return out
}

func (s *snapshot) Rows(ctx context.Context, name string, fn func([]any) error) error {
	i := slices.IndexFunc(s.tables, func(t backupTable) bool { return t.Name == name })
	if i < 0 {
		return inkform.Errorf(inkform.ENOTFOUND, "export: no table %q", name)
	}
	t := s.tables[i]
	rows, err := s.q.query(ctx, "SELECT "+columnList(t.Columns)+" FROM "+t.Name+" ORDER BY "+t.order)
	if err != nil {
		return fmt.Errorf("export %s: %w", name, err)
	}
	defer rows.Close()
	dest, vals := scanTargets(t.Columns), make([]any, len(t.Columns))
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("export %s: %w", name, err)
		}
		for i, d := range dest {
			vals[i] = scannedValue(d)
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export %s: %w", name, outage(err))
	}
	return nil
}

// columnList is "a, b, c" for a SELECT or INSERT.
func columnList(cols []inkform.BackupColumn) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// scanTargets returns one Scan destination per column, typed so that every
// driver hands back the same Go value (MySQL returns text as []byte to an
// untyped destination).
func scanTargets(cols []inkform.BackupColumn) []any {
	dest := make([]any, len(cols))
	for i, c := range cols {
		switch c.Type {
		case inkform.ColumnInt:
			dest[i] = new(sql.NullInt64)
		case inkform.ColumnBytes:
			dest[i] = new([]byte)
		default:
			dest[i] = new(sql.NullString)
		}
	}
	return dest
}

// scannedValue turns a scanTargets destination into int64, string, []byte
// or nil.
func scannedValue(d any) any {
	switch v := d.(type) {
	case *sql.NullInt64:
		if !v.Valid {
			return nil
		}
		return v.Int64
	case *sql.NullString:
		if !v.Valid {
			return nil
		}
		return v.String
	case *[]byte:
		if *v == nil {
			return nil
		}
		return *v
	}
	return nil
}
