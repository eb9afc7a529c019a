-- The audit log: who read or changed what, and when. It is append-only:
-- the store has no statement that updates or deletes a row, and a purge of
-- a document leaves its events (they hold IDs and short notes, never ink,
-- field values or secrets).

-- +goose Up
CREATE TABLE audit_events (
    id          CHAR(36) PRIMARY KEY,
    org_id      CHAR(36) NOT NULL,
    created_at  BIGINT NOT NULL,
    actor       VARCHAR(255) NOT NULL,
    action      VARCHAR(255) NOT NULL,
    object_kind VARCHAR(255) NOT NULL,
    object_id   VARCHAR(255) NOT NULL,
    detail      VARCHAR(1024) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX audit_events_org ON audit_events (org_id, id);

-- +goose Down
DROP TABLE audit_events;
