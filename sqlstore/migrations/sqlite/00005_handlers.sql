-- Event handlers of a form and the log of their delivery attempts. The
-- secret a webhook is signed with is stored as given: the sender needs it
-- back to sign, so it cannot be hashed; the API shows it once, on create,
-- and never returns it again.

-- +goose Up
CREATE TABLE handlers (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL,
    form_id    TEXT NOT NULL,
    type       TEXT NOT NULL,
    url        TEXT NOT NULL,
    events     TEXT NOT NULL,
    secret     TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX handlers_form ON handlers (org_id, form_id, created_at);

CREATE TABLE handler_deliveries (
    org_id        TEXT NOT NULL,
    handler_id    TEXT NOT NULL,
    message_id    TEXT NOT NULL,
    attempt       INTEGER NOT NULL,
    status_code   INTEGER NOT NULL,
    latency_ms    INTEGER NOT NULL,
    error_message TEXT NOT NULL,
    attempted_at  INTEGER NOT NULL
);
CREATE INDEX handler_deliveries_handler ON handler_deliveries (org_id, handler_id, attempted_at);

-- +goose Down
DROP TABLE handler_deliveries;
DROP TABLE handlers;
