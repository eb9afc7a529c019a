-- A document's validated_at, feed_seq and exported_at are empty until it
-- is validated or exported, yet the indexes on them held every document:
-- each capture added three entries under an empty key, and each
-- validation moved two of them. They now hold only the documents whose
-- column is set, which are all their queries read (the feed asks for
-- feed_seq > a position, retention for a time before a cutoff): a
-- validation adds its entries and moves none (docs/performance.md, eighth
-- round).

-- +goose Up
DROP INDEX documents_feed;
DROP INDEX documents_validated;
DROP INDEX documents_exported;
CREATE INDEX documents_feed ON documents (org_id, form_id, feed_seq) WHERE feed_seq IS NOT NULL;
CREATE INDEX documents_validated ON documents (org_id, form_id, validated_at) WHERE validated_at IS NOT NULL;
CREATE INDEX documents_exported ON documents (org_id, form_id, exported_at) WHERE exported_at IS NOT NULL;

-- +goose Down
DROP INDEX documents_feed;
DROP INDEX documents_validated;
DROP INDEX documents_exported;
CREATE INDEX documents_feed ON documents (org_id, form_id, feed_seq);
CREATE INDEX documents_validated ON documents (org_id, form_id, validated_at);
CREATE INDEX documents_exported ON documents (org_id, form_id, exported_at);
