-- jobs_unique (a job's kind and unique key) and jobs_document (its org and
-- document) serve queries that only ever ask for jobs still to run: the
-- enqueue's check for an unfinished duplicate, the purge of a document's
-- pending jobs, and the wake-up of its held deliveries. Yet they held
-- every job, the finished ones too, which the queue keeps for a day: at
-- 300 documents a second some fifty million entries each, one inserted at
-- a random place of a large index for every job (docs/performance.md,
-- ninth round). They now hold the available and retryable jobs only: a job
-- enters at its enqueue and leaves at its claim, both in a small index.
-- The queries state the condition as the indexes do.

-- +goose Up
DROP INDEX jobs_unique;
DROP INDEX jobs_document;
CREATE INDEX jobs_unique ON jobs (kind, unique_key) WHERE state IN ('available', 'retryable');
CREATE INDEX jobs_document ON jobs (org_id, document_id) WHERE state IN ('available', 'retryable');

-- +goose Down
DROP INDEX jobs_unique;
DROP INDEX jobs_document;
CREATE INDEX jobs_unique ON jobs (kind, unique_key);
CREATE INDEX jobs_document ON jobs (org_id, document_id);
