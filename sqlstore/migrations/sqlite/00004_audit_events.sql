-- The audit log: who read or changed what, and when. It is append-only:
-- the store has no statement that updates or deletes a row, and a purge of
-- a document leaves its events (they hold IDs and short notes, never ink,
-- field values or secrets).

-- +goose Up
CREATE TABLE audit_events (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    detail      TEXT NOT NULL
);
CREATE INDEX audit_events_org ON audit_events (org_id, id);

-- +goose Down
DROP TABLE audit_events;
