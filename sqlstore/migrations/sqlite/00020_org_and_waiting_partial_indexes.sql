-- Two more indexes moved with every state change. jobs_org, which serves
-- an org's job list by state, took a job in at its insert and moved it at
-- its claim and again at its completion. documents_waiting, which serves
-- the verification queue (a form's documents that need verification),
-- moved each document from received to its next status (docs/performance.md,
-- ninth round). jobs_org now leaves out the running jobs, which the job
-- list reads through jobs_lease, so a claim only removes an entry and a
-- completion only adds one; documents_waiting holds only the documents
-- that wait. The queries state each index's condition as the index does,
-- so that the database sees the partial index applies.

-- +goose Up
DROP INDEX jobs_org;
DROP INDEX documents_waiting;
CREATE INDEX jobs_org ON jobs (org_id, state) WHERE state <> 'running';
CREATE INDEX documents_waiting ON documents (org_id, form_id, status, id) WHERE status = 'needs_verification';

-- +goose Down
DROP INDEX jobs_org;
DROP INDEX documents_waiting;
CREATE INDEX jobs_org ON jobs (org_id, state);
CREATE INDEX documents_waiting ON documents (org_id, form_id, status, id);
