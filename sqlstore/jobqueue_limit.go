package sqlstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/inkform/inkform"
)

// keyLimit counts, during one claim, the running jobs of each limit key
// under the claiming worker's lease against the per-key limit. A nil
// keyLimit limits nothing.
type keyLimit struct {
	max     int
	running map[string]int
}

// runningByKeyQuery lists the queue's keyed jobs running under a worker's
// lease. The jobs_lease index holds only running jobs, of which there are
// few (a node's workers), so they are counted here rather than grouped in
// SQL: the ones the worker says have ended are left out.
const runningByKeyQuery = `SELECT id, limit_key FROM jobs
		WHERE state = 'running' AND queue = ? AND leased_by = ? AND limit_key IS NOT NULL`

// runningByKey counts how many jobs of each limit key of the queue run
// under worker's lease, leaving out l.Ended; nil when l.PerKey is 0 (no
// limit).
func (db *DB) runningByKey(ctx context.Context, tx querier, queue, worker string, l inkform.KeyLimit) (*keyLimit, error) {
	if l.PerKey <= 0 {
		return nil, nil
	}
	rows, err := tx.query(ctx, runningByKeyQuery, queue, worker)
	if err != nil {
		return nil, fmt.Errorf("count running jobs by limit key: %w", err)
	}
	defer rows.Close()
	k := &keyLimit{max: l.PerKey, running: map[string]int{}}
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			return nil, err
		}
		if !slices.Contains(l.Ended, id) {
			k.running[key]++
		}
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
