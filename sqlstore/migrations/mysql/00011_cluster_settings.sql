-- The settings every node sharing this database must share (see
-- inkform.ClusterRegistry): the object store's ID, the secret key's
-- fingerprint, the newest schema version of any node. The first node to
-- start records its values; later nodes compare theirs and refuse to start
-- when one differs.
--
-- schema_floor is the oldest schema version a node's binary must know to
-- run on this schema. Every migration so far only adds, so any binary
-- that checks it may run; a migration that drops or renames something
-- older binaries use raises it in the same file.

-- +goose Up
CREATE TABLE cluster_settings (
    name        VARCHAR(64) PRIMARY KEY,
    value       VARCHAR(255) NOT NULL,
    detail      TEXT NOT NULL,
    recorded_by VARCHAR(255) NOT NULL,
    recorded_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO cluster_settings (name, value, detail, recorded_by, recorded_at)
VALUES ('schema_floor', '00001', 'the oldest schema version a node''s binary must know', '', 0);

-- +goose Down
DROP TABLE cluster_settings;
