-- A submission ID now remembers what was submitted under it: the SHA-256
-- (hex) of the submission's content (sqlstore/fingerprint.go says what it
-- covers). A replay with the same ID and the same fingerprint gets the
-- stored answer; a different fingerprint is a conflict, so a client that
-- reuses an ID for new content learns it instead of silently getting the
-- old answer. Rows stored before this migration have no fingerprint
-- (NULL), and NULL matches any content: they replay as they always did.

-- +goose Up
ALTER TABLE submissions ADD COLUMN fingerprint TEXT;

-- +goose Down
ALTER TABLE submissions DROP COLUMN fingerprint;
