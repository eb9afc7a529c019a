-- Web UI sessions. The browser holds a random token; a row keeps only its
-- SHA-256 (hash), so reading this table signs no one in. A session ends at
-- idle_expires_at, which each use moves forward and which is never after
-- expires_at, the absolute end; so idle_expires_at alone finds the expired
-- rows that housekeeping deletes.

-- +goose Up
CREATE TABLE sessions (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    hash            TEXT NOT NULL UNIQUE,
    created_at      INTEGER NOT NULL,
    last_seen_at    INTEGER NOT NULL,
    idle_expires_at INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (org_id, user_id);
CREATE INDEX sessions_expiry ON sessions (idle_expires_at);

-- +goose Down
DROP TABLE sessions;
