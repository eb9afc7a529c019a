package sqlstore

import (
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"
)

// contracting matches the statements that take something away from a
// schema an older binary still reads: dropping a table or a column, and
// renaming either. Dropping or creating an index is not among them: no
// statement names an index, so an older binary only runs slower or faster.
var contracting = regexp.MustCompile(`(?i)\b(DROP\s+TABLE|DROP\s+COLUMN|RENAME\s+(TO|COLUMN)|CHANGE\s+COLUMN|ALTER\s+TABLE\s+\S+\s+RENAME)\b`)

// raisesFloor matches the statement a contracting migration must carry:
// it raises schema_floor, so binaries older than it refuse to join.
var raisesFloor = regexp.MustCompile(`(?is)UPDATE\s+cluster_settings\s+SET\s+value\s*=.*schema_floor`)

// expandAllowed lists the Up sections that contract a table and may, with
// why. Keep it short: a new entry means the previous release cannot run on
// the new schema, so rolling upgrades to that version stop working.
var expandAllowed = map[string]string{
	// SQLite cannot change a column's constraints in place: the table is
	// copied to a new one with the same columns plus new ones and renamed
	// back, so every column an older binary reads is still there. SQLite
	// also has a single node, so no older binary runs beside it.
	"sqlite/00006_handler_types.sql": "table rebuild keeping every column",
}

// TestMigrationsOnlyExpand holds migrations to the rule that makes rolling
// upgrades possible (docs/deploy.md): within a major version an Up
// section only adds, so the previous release keeps working on the migrated
// database while the new one takes over. A migration that must drop or
// rename raises schema_floor in the same file (older binaries then refuse
// to join rather than fail on a missing column), or is listed in
// expandAllowed with its reason.
func TestMigrationsOnlyExpand(t *testing.T) {
	t.Parallel()
	files, err := fs.Glob(migrations, "migrations/*/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations found: %v", err)
	}
	used := map[string]bool{}
	for _, file := range files {
		data, err := fs.ReadFile(migrations, file)
		if err != nil {
			t.Fatal(err)
		}
		name := path.Join(path.Base(path.Dir(file)), path.Base(file))
		up := upSection(string(data))
		if up == "" {
			t.Errorf("%s: no -- +goose Up section", name)
			continue
		}
		bad := contracting.FindAllString(stripComments(up), -1)
		if len(bad) == 0 {
			continue
		}
		if _, ok := expandAllowed[name]; ok {
			used[name] = true
			continue
		}
		if !raisesFloor.MatchString(up) {
			t.Errorf("%s: its Up section contracts the schema (%s) without raising schema_floor; "+
				"expand instead (add a column, copy, drop it in the next major version) or see expandAllowed",
				name, strings.Join(bad, ", "))
		}
	}
	for name := range expandAllowed {
		if !used[name] {
			t.Errorf("expandAllowed names %s, which does not contract the schema (any more): remove it", name)
		}
	}
}

// TestContractingStatements checks the patterns themselves, so that the
// test above cannot pass by matching nothing.
func TestContractingStatements(t *testing.T) {
	t.Parallel()
	tests := []struct {
		stmt string
		want bool
	}{
		{"ALTER TABLE jobs DROP COLUMN reaps;", true},
		{"drop table sessions;", true},
		{"ALTER TABLE a RENAME TO b;", true},
		{"ALTER TABLE a RENAME COLUMN x TO y;", true},
		{"ALTER TABLE a CHANGE COLUMN x y TEXT;", true},
		{"ALTER TABLE jobs ADD COLUMN reaps INTEGER NOT NULL DEFAULT 0;", false},
		{"DROP INDEX jobs_claim;", false},
		{"CREATE TABLE dropped_tables (id TEXT);", false},
	}
	for _, tt := range tests {
		if got := contracting.MatchString(tt.stmt); got != tt.want {
			t.Errorf("%q: contracting = %v, want %v", tt.stmt, got, tt.want)
		}
	}
	if got := upSection("-- +goose Up\nCREATE TABLE a (x INT);\n-- +goose Down\nDROP TABLE a;\n"); contracting.MatchString(got) {
		t.Errorf("the Down section leaked into the Up section: %q", got)
	}
	if !raisesFloor.MatchString("UPDATE cluster_settings SET value = '00013' WHERE name = 'schema_floor';") {
		t.Error("raisesFloor does not match a raise of schema_floor")
	}
}

// upSection returns the text between "-- +goose Up" and "-- +goose Down".
func upSection(sql string) string {
	_, after, ok := strings.Cut(sql, "-- +goose Up")
	if !ok {
		return ""
	}
	up, _, _ := strings.Cut(after, "-- +goose Down")
	return up
}

// stripComments drops "--" comments, which may mention what they do not do.
func stripComments(sql string) string {
	var b strings.Builder
	for line := range strings.Lines(sql) {
		code, _, _ := strings.Cut(line, "--")
		b.WriteString(code)
		b.WriteString("\n")
	}
	return b.String()
}
