package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/inkform/inkform"
)

// maxClaimOrgs bounds how many orgs one claim shares its slots between.
const maxClaimOrgs = 64

// ClaimJobs implements inkform.JobQueue.
//
// Fairness between orgs: the claim finds the orgs with available jobs in
// the queue, gives each an equal share of the free slots (in priority, then
// due-time order within an org), and only when an org used its whole share
// fills the slots left from any org. Orgs take turns at being served first
// (inkform.ClaimTurns), so claims of fewer slots than busy orgs serve each
// in turn, and a claim lists the busy orgs after the last one served first
// (at most maxClaimOrgs of them). One org's flood of 70,000 jobs delays
// another org's next job by as many claims as there are busy orgs at most,
// and by orgsEvery more when another node enqueued it.
//
// Cost: every read walks an index in order (migration 00002), so a claim
// touches about as many rows as it takes, however long the queue. Retryable
// jobs whose backoff has passed are first promoted to available, which keeps
// the scans on a single state (looked for at most every promoteEvery per
// queue, or when this node made a job retryable since). The orgs are listed
// at most every orgsEvery while there is one (jobqueue_orgs.go), and while
// the keys with due jobs are full a claim looks at most every keysEvery
// (jobqueue_keys.go). PostgreSQL and MySQL lock the chosen rows
// with FOR UPDATE SKIP LOCKED, so claimers on many nodes never take the same
// job and never wait for each other; SQLite runs the claim on its single
// writer connection in an immediate transaction, which excludes other writers.
//
// Per-key limit: with keyLimit.PerKey > 0, jobs with a limit key (a
// delivery's handler) are claimed only while fewer than PerKey jobs of that
// key run under this worker's lease, counting those the claim takes and
// not those the worker says have ended (keyLimit.Ended). The limit is
// per worker (node), not cluster-wide: a node's claims of one queue follow
// one another, so its count is exact without a lock that every node's
// claims would queue behind.
func (db *DB) ClaimJobs(ctx context.Context, queue, worker string, limit int, lease time.Duration, keyLimit inkform.KeyLimit) ([]*inkform.Job, error) {
	if limit <= 0 {
		return nil, nil
	}
	var jobs []*inkform.Job
	err := db.retryConflicts(ctx, func() error {
		jobs = nil
		return db.inLeaseWrite(ctx, func(tx querier) error {
			return db.claimTx(ctx, tx, queue, worker, limit, lease, keyLimit, &jobs)
		})
	})
	if err != nil {
		return nil, fmt.Errorf("claim jobs: %w", err)
	}
	return jobs, nil
}

// claimTx is one attempt at a claim, in tx; it sets *jobs to what it leased.
func (db *DB) claimTx(ctx context.Context, tx querier, queue, worker string, limit int, lease time.Duration, keyLimit inkform.KeyLimit, jobs *[]*inkform.Job) error {
	now := db.now()
	promoted := false
	if db.promotes.due(queue, now) {
		var err error
		if promoted, err = db.promoteRetryable(ctx, tx, queue, now); err != nil {
			return err
		}
	}
	keys, err := db.runningByKey(ctx, tx, queue, worker, keyLimit)
	if err != nil {
		return err
	}
	full := keys.full()
	if !promoted && len(full) > 0 && db.keyLists.skip(queue, now, full) {
		return nil
	}
	var orgs []string // nil: one org or none, no sharing to do
	if promoted || !db.orgLists.skip(queue, now) {
		if orgs, err = db.dueOrgs(ctx, tx, queue, db.claimTurns.Last(queue)); err != nil {
			return err
		}
		db.orgLists.listed(queue, now, orgs)
	}
	var ids []int64
	trusted := false         // a lookup stopped at the key gate's word
	fillUp := len(orgs) <= 1 // one org: no sharing to do
	if !fillUp {
		share := max(1, limit/len(orgs))
		first := ""
		for _, org := range db.claimTurns.Order(queue, orgs) {
			if len(ids) >= limit {
				break
			}
			want := min(share, limit-len(ids))
			got, gated, err := db.lockDue(ctx, tx, queue, org, now, want, nil, keys)
			if err != nil {
				return err
			}
			trusted = trusted || gated
			if first == "" && len(got) > 0 {
				first = org
			}
			ids = append(ids, got...)
			fillUp = fillUp || len(got) == want // this org may have more
		}
		if first != "" {
			db.claimTurns.Served(queue, first)
		}
	}
	if fillUp && len(ids) < limit {
		got, gated, err := db.lockDue(ctx, tx, queue, "", now, limit-len(ids), ids, keys)
		if err != nil {
			return err
		}
		ids = append(ids, got...)
		trusted = trusted || gated
	}
	// Fewer than limit: the claim took every due job of the keys not
	// full, so until one of the keys full now frees up there is nothing
	// more to take. A claim that did not look past the full keys leaves
	// the gate's mark as it was, so that the mark still ends keysEvery
	// after the last look that did.
	if !trusted {
		db.keyLists.looked(queue, now, keys.full(), len(ids) == limit)
	}
	if len(ids) == 0 {
		return nil
	}
	*jobs, err = db.leaseJobs(ctx, tx, ids, worker, now.Add(lease))
	return err
}

// The queue's retryable jobs whose backoff has passed, counted and made
// available; both read the jobs_retryable index.
const (
	promoteCountQuery = `SELECT COUNT(*) FROM jobs
		WHERE queue = ? AND state = 'retryable' AND run_at <= ?`
	promoteQuery = `UPDATE jobs SET state = 'available'
		WHERE queue = ? AND state = 'retryable' AND run_at <= ?`
)

// promoteRetryable makes the queue's retryable jobs whose backoff has passed
// available, and reports whether there were any. A plain read first keeps
// the common case (none) free of locks.
func (db *DB) promoteRetryable(ctx context.Context, tx querier, queue string, now time.Time) (bool, error) {
	var n int
	err := tx.queryRow(ctx, promoteCountQuery, queue, micros(now)).Scan(&n)
	if err != nil || n == 0 {
		return false, err
	}
	_, err = tx.exec(ctx, promoteQuery, queue, micros(now))
	if err != nil {
		return false, fmt.Errorf("promote retryable jobs: %w", err)
	}
	return true, nil
}

// retryConflicts runs fn again, a few times, when the database aborted it
// as a deadlock victim or serialization failure: with row locks that is a
// normal outcome (InnoDB especially), not an error.
func (db *DB) retryConflicts(ctx context.Context, fn func() error) error {
	var err error
	for try := 0; try < 5; try++ {
		if err = fn(); err == nil || !isConflict(err) || ctx.Err() != nil {
			return err
		}
		time.Sleep(time.Duration(try+1) * time.Millisecond)
	}
	return err
}

// leaseJobs marks locked jobs running for worker and returns them.
func (db *DB) leaseJobs(ctx context.Context, tx querier, ids []int64, worker string, until time.Time) ([]*inkform.Job, error) {
	in, idArgs := db.d.idIn(ids)
	set := `UPDATE jobs SET state = 'running', attempt = attempt + 1, leased_by = ?, lease_expires_at = ? WHERE ` + in
	args := append([]any{worker, micros(until)}, idArgs...)
	if db.d.updateReturning() {
		return db.queryJobs(ctx, tx, set+` RETURNING `+jobColumns, args...)
	}
	if _, err := tx.exec(ctx, set, args...); err != nil {
		return nil, err
	}
	return db.queryJobs(ctx, tx, `SELECT `+jobColumns+` FROM jobs WHERE `+in, idArgs...)
}

// dueOrgs lists up to maxClaimOrgs orgs with available jobs in the queue,
// sorted by ID: those after the org after first, then from the lowest ID,
// so that with more busy orgs than that each still comes to be listed.
func (db *DB) dueOrgs(ctx context.Context, tx querier, queue, after string) ([]string, error) {
	orgs, err := db.dueOrgsAfter(ctx, tx, queue, after, maxClaimOrgs)
	if err != nil || after == "" || len(orgs) == maxClaimOrgs {
		return orgs, err
	}
	wrapped, err := db.dueOrgsAfter(ctx, tx, queue, "", maxClaimOrgs-len(orgs))
	if err != nil {
		return nil, err
	}
	for _, org := range wrapped {
		if !slices.Contains(orgs, org) { // the database's collation decides "after"
			orgs = append(orgs, org)
		}
	}
	slices.Sort(orgs)
	return orgs, nil
}

// dueOrgsAfter lists up to n orgs with IDs above after with available jobs
// in the queue, in ID order. It skips from one org to the next through the
// index (a "loose index scan" as a recursive query), so its cost grows with
// the number of orgs, not of jobs.
func (db *DB) dueOrgsAfter(ctx context.Context, tx querier, queue, after string, n int) ([]string, error) {
	rows, err := tx.query(ctx, `WITH RECURSIVE o (org_id, n) AS (
			SELECT MIN(org_id), 1 FROM jobs WHERE queue = ? AND state = 'available' AND org_id > ?
			UNION ALL
			SELECT (SELECT MIN(j.org_id) FROM jobs j
			        WHERE j.queue = ? AND j.state = 'available' AND j.org_id > o.org_id), o.n + 1
			FROM o WHERE o.org_id IS NOT NULL AND o.n < ?
		)
		SELECT org_id FROM o WHERE org_id IS NOT NULL`, queue, after, queue, n)
	if err != nil {
		return nil, fmt.Errorf("due orgs: %w", err)
	}
	defer rows.Close()
	var orgs []string
	for rows.Next() {
		var org string
		if err := rows.Scan(&org); err != nil {
			return nil, err
		}
		orgs = append(orgs, org)
	}
	return orgs, rows.Err()
}

// lockDue selects and locks up to n due available jobs of the queue — of
// one org, or of any when org is "" — skipping the ids already taken and
// the jobs whose limit key is full. Jobs it locks but leaves (their key
// filled up within this claim) stay available when the claim commits.
// gated reports that it stopped looking behind such jobs on the key
// gate's word (jobqueue_keys.go).
func (db *DB) lockDue(ctx context.Context, tx querier, queue, org string, now time.Time, n int, taken []int64, keys *keyLimit) (ids []int64, gated bool, err error) {
	skip := slices.Clone(taken)
	for len(ids) < n {
		got, err := db.lockDueOnce(ctx, tx, queue, org, now, n-len(ids), skip, keys.full())
		if err != nil {
			return nil, false, err
		}
		left := false
		for _, j := range got {
			skip = append(skip, j.id)
			if keys.take(j.key) {
				ids = append(ids, j.id)
			} else {
				left = true
			}
		}
		// Only a job left for its key's limit can hide more due jobs
		// behind it; otherwise the query found all there were. Nor can
		// it when a look less than keysEvery ago found only jobs of keys
		// that are all full now: with one busy endpoint, looking again
		// would read every waiting delivery at each refill.
		if !left {
			break
		}
		if db.keyLists.skip(queue, now, keys.full()) {
			return ids, true, nil
		}
	}
	return ids, false, nil
}

// dueJob is a due job's ID and limit key ("" for none).
type dueJob struct {
	id  int64
	key string
}

// lockDueOnce is one query of lockDue, skipping the jobs of full keys.
func (db *DB) lockDueOnce(ctx context.Context, tx querier, queue, org string, now time.Time, n int, taken []int64, full []string) ([]dueJob, error) {
	query, args := db.dueQuery(queue, org, now, n, taken, full)
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("lock due jobs: %w", err)
	}
	defer rows.Close()
	var jobs []dueJob
	for rows.Next() {
		var j dueJob
		var key sql.NullString
		if err := rows.Scan(&j.id, &key); err != nil {
			return nil, err
		}
		j.key = key.String
		jobs = append(jobs, j)
	}
	return jobs, rows.Err()
}

// dueQuery is lockDueOnce's query. Both of its forms (of one org, of any)
// walk a claim index in order and read limit_key from that index, so the
// jobs it skips for a full key cost no row reads (migration 00017).
func (db *DB) dueQuery(queue, org string, now time.Time, n int, taken []int64, full []string) (string, []any) {
	query := `SELECT id, limit_key FROM jobs WHERE queue = ? AND state = 'available'`
	args := []any{queue}
	if org != "" {
		query += ` AND org_id = ?`
		args = append(args, org)
	}
	query += ` AND run_at <= ?`
	args = append(args, micros(now))
	if len(taken) > 0 {
		in, idArgs := db.d.idIn(taken)
		query += ` AND NOT ` + in
		args = append(args, idArgs...)
	}
	if len(full) > 0 {
		query += ` AND (limit_key IS NULL OR limit_key NOT IN (` + placeholders(len(full)) + `))`
		for _, k := range full {
			args = append(args, k)
		}
	}
	query += ` ORDER BY priority, run_at, id LIMIT ?`
	args = append(args, n)
	return query + db.d.forUpdateSkipLocked(), args
}
