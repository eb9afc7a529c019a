package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// keyLimit counts, during one claim, the running jobs of each limit key
// under the claiming worker's lease against the per-key limit. A nil
// keyLimit limits nothing.
type keyLimit struct {
	max     int
	running map[string]int
}

// runningByKeyQuery counts the queue's jobs running under a worker's lease
// by limit key. The jobs_lease index holds only running jobs, of which
// there are few.
const runningByKeyQuery = `SELECT limit_key, COUNT(*) FROM jobs
		WHERE state = 'running' AND queue = ? AND leased_by = ? AND limit_key IS NOT NULL
		GROUP BY limit_key`

// runningByKey reads how many jobs of each limit key of the queue run under
// worker's lease; nil when perKey is 0 (no limit).
func (db *DB) runningByKey(ctx context.Context, tx querier, queue, worker string, perKey int) (*keyLimit, error) {
	if perKey <= 0 {
		return nil, nil
	}
	rows, err := tx.query(ctx, runningByKeyQuery, queue, worker)
	if err != nil {
		return nil, fmt.Errorf("count running jobs by limit key: %w", err)
	}
	defer rows.Close()
	k := &keyLimit{max: perKey, running: map[string]int{}}
	for rows.Next() {
		var key sql.NullString
		var n int
		if err := rows.Scan(&key, &n); err != nil {
			return nil, err
		}
		k.running[key.String] = n
	}
	return k, rows.Err()
}

// full lists the keys that have their limit of running jobs.
func (k *keyLimit) full() []string {
	if k == nil {
		return nil
	}
	var keys []string
	for key, n := range k.running {
		if n >= k.max {
			keys = append(keys, key)
		}
	}
	return keys
}

// take counts a job of key as claimed, or reports false when its key has
// its limit of running jobs already. Jobs without a key are always taken.
func (k *keyLimit) take(key string) bool {
	if k == nil || key == "" {
		return true
	}
	if k.running[key] >= k.max {
		return false
	}
	k.running[key]++
	return true
}
