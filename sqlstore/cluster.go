package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/inkform/inkform"
)

var _ inkform.ClusterRegistry = (*DB)(nil)

// Limits of a cluster setting, as the mysql schema holds them.
const (
	maxSettingName  = 64
	maxSettingValue = 255
)

// RecordClusterSettings implements inkform.ClusterRegistry.
func (db *DB) RecordClusterSettings(ctx context.Context, node string, settings []inkform.ClusterSetting) ([]inkform.ClusterSetting, error) {
	if err := validSettings(node, settings); err != nil {
		return nil, err
	}
	at := micros(db.now())
	var out []inkform.ClusterSetting
	// Nodes starting together insert the same names at once, which InnoDB
	// may answer with a deadlock: the retry finds the winner's rows.
	err := db.retryConflicts(ctx, func() error {
		return db.inWrite(ctx, func(tx querier) error {
			for _, s := range settings {
				if err := db.insertSetting(ctx, tx, node, at, s); err != nil {
					return err
				}
				if !s.Ordered {
					continue
				}
				// One statement, so two newer nodes cannot lower
				// each other's value between a read and a write.
				if _, err := tx.exec(ctx, `UPDATE cluster_settings SET value = ?, detail = ?, recorded_by = ?, recorded_at = ?
					WHERE name = ? AND value < ?`, s.Value, s.Detail, node, at, s.Name, s.Value); err != nil {
					return fmt.Errorf("raise %s: %w", s.Name, err)
				}
			}
			var err error
			out, err = db.clusterSettings(ctx, tx)
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("record cluster settings: %w", err)
	}
	return out, nil
}

// ClusterSettings implements inkform.ClusterRegistry. It reads the primary:
// a replica may not have the latest reset yet.
func (db *DB) ClusterSettings(ctx context.Context) ([]inkform.ClusterSetting, error) {
	out, err := db.clusterSettings(ctx, db.primary())
	if err != nil {
		return nil, fmt.Errorf("cluster settings: %w", err)
	}
	return out, nil
}

// ResetClusterSettings implements inkform.ClusterRegistry.
func (db *DB) ResetClusterSettings(ctx context.Context, node string, settings []inkform.ClusterSetting) error {
	if err := validSettings(node, settings); err != nil {
		return err
	}
	at := micros(db.now())
	err := db.retryConflicts(ctx, func() error {
		return db.inWrite(ctx, func(tx querier) error {
			for _, s := range settings {
				// Insert-or-ignore, then update: an upsert without the
				// dialects' three spellings of one.
				if err := db.insertSetting(ctx, tx, node, at, s); err != nil {
					return err
				}
				if _, err := tx.exec(ctx, `UPDATE cluster_settings SET value = ?, detail = ?, recorded_by = ?, recorded_at = ?
					WHERE name = ?`, s.Value, s.Detail, node, at, s.Name); err != nil {
					return fmt.Errorf("update %s: %w", s.Name, err)
				}
			}
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("reset cluster settings: %w", err)
	}
	return nil
}

// insertSetting records s unless its name has a value already.
func (db *DB) insertSetting(ctx context.Context, tx querier, node string, at int64, s inkform.ClusterSetting) error {
	_, err := tx.exec(ctx, db.d.insertIgnore(`INSERT INTO cluster_settings
		(name, value, detail, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)`),
		s.Name, s.Value, s.Detail, node, at)
	if err != nil {
		return fmt.Errorf("insert %s: %w", s.Name, err)
	}
	return nil
}

func (db *DB) clusterSettings(ctx context.Context, q querier) ([]inkform.ClusterSetting, error) {
	rows, err := q.query(ctx, `SELECT name, value, detail, recorded_by, recorded_at FROM cluster_settings ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []inkform.ClusterSetting
	for rows.Next() {
		var s inkform.ClusterSetting
		var at int64
		if err := rows.Scan(&s.Name, &s.Value, &s.Detail, &s.Node, &at); err != nil {
			return nil, err
		}
		if at != 0 {
			s.At = fromMicros(at)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func validSettings(node string, settings []inkform.ClusterSetting) error {
	if len(node) > maxSettingValue {
		return inkform.Errorf(inkform.EINVALID, "cluster setting: node name is longer than %d bytes", maxSettingValue)
	}
	for _, s := range settings {
		if s.Name == "" || len(s.Name) > maxSettingName {
			return inkform.Errorf(inkform.EINVALID, "cluster setting: a name must have 1 to %d bytes", maxSettingName)
		}
		if len(s.Value) > maxSettingValue {
			return inkform.Errorf(inkform.EINVALID, "cluster setting %s: value is longer than %d bytes", s.Name, maxSettingValue)
		}
	}
	return nil
}

// SchemaVersion implements inkform.ClusterRegistry: the newest migration
// recorded in goose's table, read directly so that it neither waits for
// the migration lock nor creates the table.
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	var v sql.NullInt64
	if err := db.primary().queryRow(ctx, `SELECT MAX(version_id) FROM goose_db_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("schema version (is the database migrated?): %w", err)
	}
	return v.Int64, nil
}

// MigrationsVersion returns the newest schema version this binary holds
// migrations for: what SchemaVersion answers once Migrate has run. Every
// dialect's folder has the same versions (TestMigrationsAlike).
func MigrationsVersion() int64 {
	var newest int64
	entries, _ := fs.ReadDir(migrations, "migrations/sqlite")
	for _, e := range entries {
		prefix, _, _ := strings.Cut(e.Name(), "_")
		if v, err := strconv.ParseInt(prefix, 10, 64); err == nil && v > newest {
			newest = v
		}
	}
	return newest
}
