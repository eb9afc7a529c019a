-- +goose Up
-- Times are Unix microseconds (UTC); JSON is TEXT. See sqlstore.go.
CREATE TABLE orgs (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    shelf        INTEGER NOT NULL UNIQUE,
    pattern_pool TEXT NOT NULL,
    next_page    INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
);

CREATE TABLE tokens (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    hint       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX tokens_org ON tokens (org_id, id);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL,
    email         TEXT NOT NULL,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    UNIQUE (org_id, email)
);

CREATE TABLE forms (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL,
    pattern    TEXT NOT NULL,
    version    INTEGER NOT NULL,
    next_copy  INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX forms_org ON forms (org_id, id);

CREATE TABLE form_versions (
    form_id    TEXT NOT NULL,
    version    INTEGER NOT NULL,
    template   TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (form_id, version)
);

CREATE TABLE page_addresses (
    org_id  TEXT NOT NULL,
    address TEXT NOT NULL,
    form_id TEXT NOT NULL,
    page    INTEGER NOT NULL,
    copy_id TEXT,
    UNIQUE (org_id, address)
);
CREATE INDEX page_addresses_form ON page_addresses (form_id, copy_id, page);

CREATE TABLE copies (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL,
    form_id    TEXT NOT NULL,
    number     INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX copies_form ON copies (org_id, form_id, number);

CREATE TABLE documents (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL,
    form_id      TEXT NOT NULL,
    form_version INTEGER NOT NULL,
    copy_id      TEXT,
    status       TEXT NOT NULL,
    pen_id       TEXT NOT NULL,
    pages        TEXT NOT NULL,
    fields       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (org_id, copy_id)
);
CREATE INDEX documents_org ON documents (org_id, id);
CREATE INDEX documents_form ON documents (org_id, form_id, id);
CREATE INDEX documents_status ON documents (org_id, status, id);

CREATE TABLE ink (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL,
    document_id   TEXT NOT NULL,
    submission_id TEXT NOT NULL,
    received_at   INTEGER NOT NULL,
    points        INTEGER NOT NULL,
    data          BLOB NOT NULL
);
CREATE INDEX ink_document ON ink (org_id, document_id, received_at, id);

CREATE TABLE status_changes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id TEXT NOT NULL,
    org_id      TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    cause       TEXT NOT NULL,
    changed_at  INTEGER NOT NULL
);
CREATE INDEX status_changes_document ON status_changes (org_id, document_id, id);

CREATE TABLE submissions (
    org_id        TEXT NOT NULL,
    submission_id TEXT NOT NULL,
    result        TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (org_id, submission_id)
);

CREATE TABLE quarantine (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL,
    pen_id        TEXT NOT NULL,
    submission_id TEXT NOT NULL,
    addresses     TEXT NOT NULL,
    reason        TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    body          BLOB NOT NULL,
    received_at   INTEGER NOT NULL
);
CREATE INDEX quarantine_org ON quarantine (org_id, id);

CREATE TABLE jobs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id           TEXT NOT NULL,
    queue            TEXT NOT NULL,
    kind             TEXT NOT NULL,
    args             TEXT NOT NULL,
    state            TEXT NOT NULL,
    priority         INTEGER NOT NULL DEFAULT 0,
    attempt          INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL,
    run_at           INTEGER NOT NULL,
    unique_key       TEXT,
    last_error       TEXT NOT NULL DEFAULT '',
    leased_by        TEXT,
    lease_expires_at INTEGER,
    created_at       INTEGER NOT NULL,
    finished_at      INTEGER
);
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
