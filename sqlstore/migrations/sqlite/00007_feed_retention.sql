-- The validated-documents feed of a form and retention per form.
--
-- A document's feed_seq is its place in its form's feed, taken from the
-- form's counter row in form_feeds by the transaction that validates it;
-- the row lock held until commit makes positions commit in order, so a
-- reader never sees a position before a smaller one (see sqlstore/feed.go).
-- validated_at and feed_seq are set when a document becomes validated and
-- cleared when it leaves that status. forms.retention_* copy the latest
-- version's retention so that the maintenance job can find expired
-- documents with indexes instead of reading every template.

-- +goose Up
ALTER TABLE documents ADD COLUMN validated_at INTEGER;
ALTER TABLE documents ADD COLUMN feed_seq INTEGER;
ALTER TABLE forms ADD COLUMN retention_after TEXT;
ALTER TABLE forms ADD COLUMN retention_days INTEGER;

CREATE TABLE form_feeds (
    form_id TEXT PRIMARY KEY,
    seq     INTEGER NOT NULL
);

-- Documents validated before this migration join the feed in the order
-- they were last validated.
UPDATE documents SET validated_at = COALESCE(
    (SELECT MAX(s.changed_at) FROM status_changes s
     WHERE s.org_id = documents.org_id AND s.document_id = documents.id AND s.to_status = 'validated'),
    updated_at)
WHERE status = 'validated';
UPDATE documents SET feed_seq = r.n
FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY form_id ORDER BY validated_at, id) AS n
      FROM documents WHERE status = 'validated') AS r
WHERE documents.id = r.id;
INSERT INTO form_feeds (form_id, seq)
    SELECT f.id, COALESCE((SELECT MAX(d.feed_seq) FROM documents d WHERE d.form_id = f.id), 0) FROM forms f;

CREATE INDEX documents_feed ON documents (org_id, form_id, feed_seq);
CREATE INDEX documents_validated ON documents (org_id, form_id, validated_at);
CREATE INDEX documents_exported ON documents (org_id, form_id, exported_at);
CREATE INDEX forms_retention ON forms (retention_after);

-- +goose Down
DROP INDEX forms_retention;
DROP INDEX documents_exported;
DROP INDEX documents_validated;
DROP INDEX documents_feed;
DROP TABLE form_feeds;
ALTER TABLE forms DROP COLUMN retention_days;
ALTER TABLE forms DROP COLUMN retention_after;
ALTER TABLE documents DROP COLUMN feed_seq;
ALTER TABLE documents DROP COLUMN validated_at;
