-- Verification: leases (who works on which waiting document until when; one
-- row per document, taken by conditional writes so two nodes never hand it
-- to two people), blind double entries (one per person and field) and the
-- history of field values (who changed what, from what, to what). Values
-- are JSON. documents_waiting serves "the oldest waiting documents of a
-- form".

-- +goose Up
CREATE TABLE document_leases (
    document_id TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL,
    form_id     TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX document_leases_user ON document_leases (org_id, form_id, user_id);

CREATE TABLE double_entries (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      TEXT NOT NULL,
    document_id TEXT NOT NULL,
    field       TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    value       TEXT NOT NULL,
    entered_at  BIGINT NOT NULL,
    UNIQUE (org_id, document_id, field, user_id)
);

CREATE TABLE field_changes (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      TEXT NOT NULL,
    document_id TEXT NOT NULL,
    field       TEXT NOT NULL,
    from_value  TEXT NOT NULL,
    to_value    TEXT NOT NULL,
    source      TEXT NOT NULL,
    changed_by  TEXT NOT NULL,
    cause       TEXT NOT NULL,
    changed_at  BIGINT NOT NULL
);
CREATE INDEX field_changes_document ON field_changes (org_id, document_id, id);

CREATE INDEX documents_waiting ON documents (org_id, form_id, status, id);

-- +goose Down
DROP INDEX documents_waiting;
DROP TABLE field_changes;
DROP TABLE double_entries;
DROP TABLE document_leases;
