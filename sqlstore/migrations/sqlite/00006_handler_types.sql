-- Handlers of every type (webhook, e-mail, export) with conditions, a
-- delivery log whose rows can be named (to redeliver one), and the time a
-- document was last exported (for retention after export).

-- +goose Up
ALTER TABLE handlers ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
ALTER TABLE handlers ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE handlers SET updated_at = created_at;

CREATE TABLE handler_deliveries_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        TEXT NOT NULL,
    handler_id    TEXT NOT NULL,
    message_id    TEXT NOT NULL,
    event         TEXT NOT NULL DEFAULT '',
    document_id   TEXT NOT NULL DEFAULT '',
    event_at      INTEGER NOT NULL DEFAULT 0,
    attempt       INTEGER NOT NULL,
    status_code   INTEGER NOT NULL,
    latency_ms    INTEGER NOT NULL,
    error_message TEXT NOT NULL,
    attempted_at  INTEGER NOT NULL
);
INSERT INTO handler_deliveries_new
    (org_id, handler_id, message_id, attempt, status_code, latency_ms, error_message, attempted_at)
    SELECT org_id, handler_id, message_id, attempt, status_code, latency_ms, error_message, attempted_at
    FROM handler_deliveries ORDER BY attempted_at;
DROP TABLE handler_deliveries;
ALTER TABLE handler_deliveries_new RENAME TO handler_deliveries;
CREATE INDEX handler_deliveries_handler ON handler_deliveries (org_id, handler_id, id);
CREATE INDEX handler_deliveries_age ON handler_deliveries (attempted_at);

ALTER TABLE documents ADD COLUMN exported_at INTEGER;

-- +goose Down
ALTER TABLE documents DROP COLUMN exported_at;
DROP INDEX handler_deliveries_age;
DROP INDEX handler_deliveries_handler;
CREATE TABLE handler_deliveries_old (
    org_id        TEXT NOT NULL,
    handler_id    TEXT NOT NULL,
    message_id    TEXT NOT NULL,
    attempt       INTEGER NOT NULL,
    status_code   INTEGER NOT NULL,
    latency_ms    INTEGER NOT NULL,
    error_message TEXT NOT NULL,
    attempted_at  INTEGER NOT NULL
);
INSERT INTO handler_deliveries_old
    SELECT org_id, handler_id, message_id, attempt, status_code, latency_ms, error_message, attempted_at
    FROM handler_deliveries;
DROP TABLE handler_deliveries;
ALTER TABLE handler_deliveries_old RENAME TO handler_deliveries;
CREATE INDEX handler_deliveries_handler ON handler_deliveries (org_id, handler_id, attempted_at);
ALTER TABLE handlers DROP COLUMN updated_at;
ALTER TABLE handlers DROP COLUMN settings;
