-- +goose Up
-- Times are Unix microseconds (UTC); JSON is LONGTEXT. See sqlstore.go.
CREATE TABLE orgs (
    id           CHAR(36) PRIMARY KEY,
    name         VARCHAR(500) NOT NULL UNIQUE,
    shelf        BIGINT NOT NULL UNIQUE,
    pattern_pool VARCHAR(64) NOT NULL,
    next_page    BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE tokens (
    id         CHAR(36) PRIMARY KEY,
    org_id     CHAR(36) NOT NULL,
    name       VARCHAR(500) NOT NULL,
    role       VARCHAR(32) NOT NULL,
    hash       CHAR(64) NOT NULL UNIQUE,
    hint       VARCHAR(32) NOT NULL,
    created_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX tokens_org ON tokens (org_id, id);

CREATE TABLE users (
    id            CHAR(36) PRIMARY KEY,
    org_id        CHAR(36) NOT NULL,
    email         VARCHAR(320) NOT NULL,
    name          VARCHAR(500) NOT NULL,
    role          VARCHAR(32) NOT NULL,
    password_hash VARCHAR(500) NOT NULL,
    created_at    BIGINT NOT NULL,
    UNIQUE (org_id, email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE forms (
    id         CHAR(36) PRIMARY KEY,
    org_id     CHAR(36) NOT NULL,
    pattern    VARCHAR(16) NOT NULL,
    version    BIGINT NOT NULL,
    next_copy  BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX forms_org ON forms (org_id, id);

CREATE TABLE form_versions (
    form_id    CHAR(36) NOT NULL,
    version    BIGINT NOT NULL,
    template   LONGTEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (form_id, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE page_addresses (
    org_id  CHAR(36) NOT NULL,
    address VARCHAR(64) NOT NULL,
    form_id CHAR(36) NOT NULL,
    page    BIGINT NOT NULL,
    copy_id CHAR(36),
    UNIQUE (org_id, address)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX page_addresses_form ON page_addresses (form_id, copy_id, page);

CREATE TABLE copies (
    id         CHAR(36) PRIMARY KEY,
    org_id     CHAR(36) NOT NULL,
    form_id    CHAR(36) NOT NULL,
    number     BIGINT NOT NULL,
    created_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX copies_form ON copies (org_id, form_id, number);

CREATE TABLE documents (
    id           CHAR(36) PRIMARY KEY,
    org_id       CHAR(36) NOT NULL,
    form_id      CHAR(36) NOT NULL,
    form_version BIGINT NOT NULL,
    copy_id      CHAR(36),
    status       VARCHAR(32) NOT NULL,
    pen_id       VARCHAR(100) NOT NULL,
    pages        LONGTEXT NOT NULL,
    fields       LONGTEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    UNIQUE (org_id, copy_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX documents_org ON documents (org_id, id);
CREATE INDEX documents_form ON documents (org_id, form_id, id);
CREATE INDEX documents_status ON documents (org_id, status, id);

CREATE TABLE ink (
    id            CHAR(36) PRIMARY KEY,
    org_id        CHAR(36) NOT NULL,
    document_id   CHAR(36) NOT NULL,
    submission_id VARCHAR(200) NOT NULL,
    received_at   BIGINT NOT NULL,
    points        BIGINT NOT NULL,
    data          LONGBLOB NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX ink_document ON ink (org_id, document_id, received_at, id);

CREATE TABLE status_changes (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    document_id CHAR(36) NOT NULL,
    org_id      CHAR(36) NOT NULL,
    from_status VARCHAR(32) NOT NULL,
    to_status   VARCHAR(32) NOT NULL,
    cause       LONGTEXT NOT NULL,
    changed_at  BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX status_changes_document ON status_changes (org_id, document_id, id);

CREATE TABLE submissions (
    org_id        CHAR(36) NOT NULL,
    submission_id VARCHAR(200) NOT NULL,
    result        LONGTEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (org_id, submission_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE quarantine (
    id            CHAR(36) PRIMARY KEY,
    org_id        CHAR(36) NOT NULL,
    pen_id        VARCHAR(100) NOT NULL,
    submission_id VARCHAR(200) NOT NULL,
    addresses     LONGTEXT NOT NULL,
    reason        LONGTEXT NOT NULL,
    content_type  VARCHAR(200) NOT NULL,
    body          LONGBLOB NOT NULL,
    received_at   BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX quarantine_org ON quarantine (org_id, id);

CREATE TABLE jobs (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    org_id           CHAR(36) NOT NULL,
    queue            VARCHAR(64) NOT NULL,
    kind             VARCHAR(64) NOT NULL,
    args             LONGTEXT NOT NULL,
    state            VARCHAR(16) NOT NULL,
    priority         BIGINT NOT NULL DEFAULT 0,
    attempt          BIGINT NOT NULL DEFAULT 0,
    max_attempts     BIGINT NOT NULL,
    run_at           BIGINT NOT NULL,
    unique_key       VARCHAR(255),
    last_error       LONGTEXT NOT NULL,
    leased_by        VARCHAR(200),
    lease_expires_at BIGINT,
    created_at       BIGINT NOT NULL,
    finished_at      BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX jobs_claim ON jobs (state, queue, run_at, id);
CREATE INDEX jobs_org ON jobs (org_id, state);
CREATE INDEX jobs_unique ON jobs (kind, unique_key);

-- +goose Down
DROP TABLE jobs;
DROP TABLE quarantine;
DROP TABLE submissions;
DROP TABLE status_changes;
DROP TABLE ink;
DROP TABLE documents;
DROP TABLE copies;
DROP TABLE page_addresses;
DROP TABLE form_versions;
DROP TABLE forms;
DROP TABLE users;
DROP TABLE tokens;
DROP TABLE orgs;
