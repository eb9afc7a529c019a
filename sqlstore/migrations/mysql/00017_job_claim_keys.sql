-- A claim of a busy handler's deliveries skips the available jobs whose
-- limit key is full (jobqueue_claim.go), and with one endpoint that is
-- every delivery in the queue: the claim reads them all to find none.
-- With the key in the claim indexes it reads only index entries, not
-- each job's row (a third of the time per skipped job, measured on
-- SQLite: docs/performance.md, sixth round). A job's key never changes,
-- so the wider indexes cost nothing more to keep.

-- +goose Up
DROP INDEX jobs_due ON jobs;
DROP INDEX jobs_fair ON jobs;
CREATE INDEX jobs_due ON jobs (queue, state, priority, run_at, id, limit_key);
CREATE INDEX jobs_fair ON jobs (queue, state, org_id, priority, run_at, id, limit_key);

-- +goose Down
DROP INDEX jobs_due ON jobs;
DROP INDEX jobs_fair ON jobs;
CREATE INDEX jobs_due ON jobs (queue, state, priority, run_at, id);
CREATE INDEX jobs_fair ON jobs (queue, state, org_id, priority, run_at, id);
