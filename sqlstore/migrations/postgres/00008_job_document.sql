-- The document a job works on gets a column of its own, set at enqueue
-- from the args (inkform.DocumentJobArgs), so that a document's jobs are
-- found through an index: WakeDeliveries and the purge look them up by org
-- and document, where they used to match a pattern against every waiting
-- job's JSON args. Jobs already stored take the ID from their args; only
-- the kinds inkform enqueues name a document (and always write valid JSON).

-- +goose Up
ALTER TABLE jobs ADD COLUMN document_id TEXT;
UPDATE jobs SET document_id = NULLIF(args::jsonb ->> 'documentId', '')
WHERE kind IN ('interpret', 'render_pdf', 'deliver');
CREATE INDEX jobs_document ON jobs (org_id, document_id);

-- +goose Down
DROP INDEX jobs_document;
ALTER TABLE jobs DROP COLUMN document_id;
