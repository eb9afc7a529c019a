-- Claims (jobqueue_claim.go) read due jobs in index order, so no claim sorts
-- or (on InnoDB) locks more rows than it takes: one index orders a queue's
-- available jobs, another orders each org's, and lets the claim find the orgs
-- with due jobs by skipping from one org to the next.

-- +goose Up
DROP INDEX jobs_claim ON jobs;
CREATE INDEX jobs_due ON jobs (queue, state, priority, run_at, id);
CREATE INDEX jobs_fair ON jobs (queue, state, org_id, priority, run_at, id);
-- The reaper looks for expired leases, the purge for old finished jobs.
CREATE INDEX jobs_lease ON jobs (state, lease_expires_at);
CREATE INDEX jobs_finished ON jobs (state, finished_at);

-- +goose Down
DROP INDEX jobs_due ON jobs;
DROP INDEX jobs_fair ON jobs;
DROP INDEX jobs_lease ON jobs;
DROP INDEX jobs_finished ON jobs;
CREATE INDEX jobs_claim ON jobs (state, queue, run_at, id);
