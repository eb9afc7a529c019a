package inkform

import (
	"context"
	"regexp"
)

// Column types of a portable database export. Every stored value is one of
// these three in every engine (times are Unix microseconds, JSON is text),
// so an export names them instead of an engine's column types.
const (
	ColumnInt   = "int"   // int64
	ColumnText  = "text"  // string
	ColumnBytes = "bytes" // []byte
)

// BackupColumn is one column of an exported table.
type BackupColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
	// Null says the column may hold NULL (nil).
	Null bool `json:"null,omitempty"`
}

// BackupTable describes one exported table.
type BackupTable struct {
	Name    string         `json:"name"`
	Columns []BackupColumn `json:"columns"`
	// BlobKey names the text column holding the key of an object each row
	// needs (a rendered PDF). An object can be deleted between the
	// database snapshot and its copy (a purge, a newer render); a backup
	// leaves out the rows whose object it could not copy, so that a
	// restored system never names an object it lacks.
	BlobKey string `json:"blobKey,omitempty"`
}

// backupName is what a table or column name in an archive must look like:
// such names end up in SQL, so nothing else gets that far.
var backupName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// ValidBackupName reports whether s can name a table or column of an
// export: a lowercase letter, then up to 62 lowercase letters, digits or
// underscores.
func ValidBackupName(s string) bool { return backupName.MatchString(s) }

// BackupSnapshot is one consistent view of a whole database, as of one
// instant, for the length of DatabaseExporter.ExportSnapshot's callback.
type BackupSnapshot interface {
	// SchemaVersion is the version of the newest migration applied.
	SchemaVersion() int64
	// Tables lists the exported tables in dependency order: a restore
	// that loads them in this order never loads a row before one it
	// refers to.
	Tables() []BackupTable
	// Rows calls fn for each row of the named table in primary key order,
	// with one value per column: int64, string, []byte or nil. fn must not
	// keep the slice.
	Rows(ctx context.Context, table string, fn func(row []any) error) error
}

// DatabaseExporter writes a portable copy of a database.
type DatabaseExporter interface {
	// Dialect names the engine: sqlite, postgres or mysql.
	Dialect() string
	// ExportSnapshot runs fn with a read-only snapshot of the database,
	// taken in one transaction while writers carry on.
	ExportSnapshot(ctx context.Context, fn func(BackupSnapshot) error) error
}

// BackupRows reads the rows of one table of an archive, calling fn for each
// with values as BackupSnapshot.Rows gives them.
type BackupRows func(ctx context.Context, table BackupTable, fn func(row []any) error) error

// DatabaseImporter fills an empty database from a portable copy.
type DatabaseImporter interface {
	// SchemaVersions returns the version of the database's newest applied
	// migration (0 for a database never migrated) and the newest this
	// program knows.
	SchemaVersions(ctx context.Context) (current, latest int64, err error)
	// CheckEmpty returns ECONFLICT naming a table that holds data.
	CheckEmpty(ctx context.Context) error
	// ImportSnapshot migrates the database to version, loads tables in
	// order in one transaction, and then applies the newer migrations.
	// It refuses (ECONFLICT) a database that is not empty and (EINVALID)
	// a table or column it does not know; on error nothing is loaded.
	ImportSnapshot(ctx context.Context, version int64, tables []BackupTable, rows BackupRows) error
}
