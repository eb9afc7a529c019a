-- How many times a job's worker died while running it (ReapJobs took it
-- back after its lease expired). At inkform.MaxJobReaps the job is dead
-- instead of available again: it may be what kills the workers.

-- +goose Up
ALTER TABLE jobs ADD COLUMN reaps BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE jobs DROP COLUMN reaps;
