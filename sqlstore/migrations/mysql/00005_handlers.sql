-- Event handlers of a form and the log of their delivery attempts. The
-- secret a webhook is signed with is stored as given: the sender needs it
-- back to sign, so it cannot be hashed; the API shows it once, on create,
-- and never returns it again.

-- +goose Up
CREATE TABLE handlers (
    id         CHAR(36) PRIMARY KEY,
    org_id     CHAR(36) NOT NULL,
    form_id    CHAR(36) NOT NULL,
    type       VARCHAR(255) NOT NULL,
    url        VARCHAR(2048) NOT NULL,
    events     VARCHAR(255) NOT NULL,
    secret     VARCHAR(255) NOT NULL,
    created_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX handlers_form ON handlers (org_id, form_id, created_at);

CREATE TABLE handler_deliveries (
    org_id        CHAR(36) NOT NULL,
    handler_id    CHAR(36) NOT NULL,
    message_id    VARCHAR(64) NOT NULL,
    attempt       BIGINT NOT NULL,
    status_code   BIGINT NOT NULL,
    latency_ms    BIGINT NOT NULL,
    error_message VARCHAR(2048) NOT NULL,
    attempted_at  BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX handler_deliveries_handler ON handler_deliveries (org_id, handler_id, attempted_at);

-- +goose Down
DROP TABLE handler_deliveries;
DROP TABLE handlers;
