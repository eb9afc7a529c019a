package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/inkform/inkform"
)

// Bounds of one multi-row INSERT of a restore: PostgreSQL takes at most
// 65535 parameters, and MySQL refuses a statement above max_allowed_packet
// (16 MiB by default on MariaDB, 64 MiB on MySQL 8).
const (
	importMaxParams = 8000
	importMaxBytes  = 4 << 20
)

// SchemaVersions implements inkform.DatabaseImporter.
func (db *DB) SchemaVersions(ctx context.Context) (current, latest int64, err error) {
	latest = MigrationsVersion()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		// A database never migrated has no version table; one that
		// cannot be reached is an error.
		if perr := db.Ping(ctx); perr != nil {
			return 0, 0, perr
		}
		return 0, latest, nil
	}
	return v, latest, nil
}

// CheckEmpty implements inkform.DatabaseImporter.
func (db *DB) CheckEmpty(ctx context.Context) error {
	current, latest, err := db.SchemaVersions(ctx)
	if err != nil {
		return err
	}
	if current == 0 {
		return nil
	}
	if current != latest {
		return inkform.Errorf(inkform.ECONFLICT, "the target database is at schema version %d, not this inkform's %d: restore into a new database", current, latest)
	}
	var names []string
	for _, t := range backupTables() {
		names = append(names, t.Name)
	}
	return checkEmpty(ctx, db.primary(), names)
}

// checkEmpty returns ECONFLICT naming the first of the tables that has a row.
func checkEmpty(ctx context.Context, q querier, tables []string) error {
	for _, name := range tables {
		var one int
		err := q.queryRow(ctx, "SELECT 1 FROM "+name+" LIMIT 1").Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("check that %s is empty: %w", name, err)
		}
		return inkform.Errorf(inkform.ECONFLICT, "the target database is not empty (table %s has rows): restore fills only a new, empty system", name)
	}
	return nil
}

// ImportSnapshot implements inkform.DatabaseImporter. All rows load in one
// transaction, so a failure (a damaged row, a constraint the target engine
// enforces) leaves the tables empty.
func (db *DB) ImportSnapshot(ctx context.Context, version int64, tables []inkform.BackupTable, rows inkform.BackupRows) error {
	current, latest, err := db.SchemaVersions(ctx)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	switch {
	case version < 1 || version > latest:
		return inkform.Errorf(inkform.EINVALID, "the archive is of schema version %d and this inkform knows 1 to %d: restore with the inkform that made it or a newer one", version, latest)
	case current != 0 && current != version:
		return inkform.Errorf(inkform.ECONFLICT, "the target database is at schema version %d and the archive at %d: restore into a new database", current, version)
	}
	specs, err := importTables(tables)
	if err != nil {
		return err
	}
	if current == 0 {
		if err := db.migrateTo(ctx, version); err != nil {
			return fmt.Errorf("import: %w", err)
		}
	}
	names := make([]string, len(specs))
	for i, t := range specs {
		names[i] = t.Name
	}
	err = db.inWrite(ctx, func(tx querier) error {
		if err := checkEmpty(ctx, tx, names); err != nil {
			return err
		}
		for _, t := range specs {
			if err := db.importTable(ctx, tx, t, rows); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if version < latest {
		return db.Migrate(ctx)
	}
	return nil
}

// importTables checks an archive's tables against the ones this package
// knows: their names and columns end up in SQL.
func importTables(tables []inkform.BackupTable) ([]backupTable, error) {
	out := make([]backupTable, len(tables))
	for i, t := range tables {
		spec, ok := findBackupTable(t.Name)
		if !ok {
			return nil, inkform.Errorf(inkform.EINVALID, "the archive has a table %q that this inkform does not know", t.Name)
		}
		if len(t.Columns) == 0 {
			return nil, inkform.Errorf(inkform.EINVALID, "the archive's table %s has no columns", t.Name)
		}
		for _, c := range t.Columns {
			if !inkform.ValidBackupName(c.Name) {
				return nil, inkform.Errorf(inkform.EINVALID, "the archive's table %s has a column named %q", t.Name, c.Name)
			}
		}
		out[i] = backupTable{BackupTable: t, serial: spec.serial}
	}
	return out, nil
}

// importTable loads one table in multi-row INSERTs.
func (db *DB) importTable(ctx context.Context, tx querier, t backupTable, rows inkform.BackupRows) error {
	prefix := db.d.importInsert(t.Name, columnList(t.Columns), t.serial)
	tuple := "(" + placeholders(len(t.Columns)) + ")"
	var args []any
	n, size := 0, 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		stmt := prefix + strings.Repeat(tuple+", ", n-1) + tuple
		if _, err := tx.exec(ctx, stmt, args...); err != nil {
			return fmt.Errorf("import %s: %w", t.Name, err)
		}
		args, n, size = args[:0], 0, 0
		return nil
	}
	err := rows(ctx, t.BackupTable, func(row []any) error {
		for _, v := range row {
			switch v := v.(type) {
			case string:
				size += len(v)
			case []byte:
				size += len(v)
			}
			args = append(args, v)
		}
		n++
		if len(args)+len(t.Columns) > importMaxParams || size >= importMaxBytes {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	if stmt := db.d.afterImport(t.Name); t.serial && stmt != "" {
		var ignored int64
		if err := tx.queryRow(ctx, stmt).Scan(&ignored); err != nil {
			return fmt.Errorf("import %s: move id counter: %w", t.Name, err)
		}
	}
	return nil
}
