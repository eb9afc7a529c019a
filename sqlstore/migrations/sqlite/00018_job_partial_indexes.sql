-- A job moves available → running → completed, and each move rewrote its
-- entries in every index that starts with its state: the claim, lease and
-- finished indexes held every job in every state. On SQLite each such
-- entry is a page of the WAL per commit, and the job queue's indexes were
-- about half of the WAL a document wrote (docs/performance.md, eighth
-- round). Each index now holds only the jobs of the state its queries ask
-- for, so a claim removes one entry from the claim indexes, a completion
-- adds one to the finished index, and no other entry moves. The
-- retryable and dead jobs, which the claim indexes served before, get
-- small indexes of their own (promotion, queue statistics). The queries
-- name the state exactly as the index does, so that SQLite sees the
-- partial index applies.

-- +goose Up
DROP INDEX jobs_due;
DROP INDEX jobs_fair;
DROP INDEX jobs_lease;
DROP INDEX jobs_finished;
CREATE INDEX jobs_due ON jobs (queue, state, priority, run_at, id, limit_key) WHERE state = 'available';
CREATE INDEX jobs_fair ON jobs (queue, state, org_id, priority, run_at, id, limit_key) WHERE state = 'available';
CREATE INDEX jobs_lease ON jobs (state, lease_expires_at) WHERE state = 'running';
CREATE INDEX jobs_finished ON jobs (state, finished_at) WHERE state IN ('completed', 'cancelled');
CREATE INDEX jobs_retryable ON jobs (queue, state, run_at) WHERE state = 'retryable';
CREATE INDEX jobs_dead ON jobs (queue, state, run_at) WHERE state = 'dead';

-- +goose Down
DROP INDEX jobs_due;
DROP INDEX jobs_fair;
DROP INDEX jobs_lease;
DROP INDEX jobs_finished;
DROP INDEX jobs_retryable;
DROP INDEX jobs_dead;
CREATE INDEX jobs_due ON jobs (queue, state, priority, run_at, id, limit_key);
CREATE INDEX jobs_fair ON jobs (queue, state, org_id, priority, run_at, id, limit_key);
CREATE INDEX jobs_lease ON jobs (state, lease_expires_at);
CREATE INDEX jobs_finished ON jobs (state, finished_at);
