-- Verification: leases (who works on which waiting document until when; one
-- row per document, taken by conditional writes so two nodes never hand it
-- to two people), blind double entries (one per person and field) and the
-- history of field values (who changed what, from what, to what). Values
-- are JSON. documents_waiting serves "the oldest waiting documents of a
-- form".

-- +goose Up
CREATE TABLE document_leases (
    document_id CHAR(36) PRIMARY KEY,
    org_id      CHAR(36) NOT NULL,
    form_id     CHAR(36) NOT NULL,
    user_id     VARCHAR(100) NOT NULL,
    expires_at  BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX document_leases_user ON document_leases (org_id, form_id, user_id);

CREATE TABLE double_entries (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    org_id      CHAR(36) NOT NULL,
    document_id CHAR(36) NOT NULL,
    field       VARCHAR(200) NOT NULL,
    user_id     VARCHAR(100) NOT NULL,
    value       LONGTEXT NOT NULL,
    entered_at  BIGINT NOT NULL,
    UNIQUE (org_id, document_id, field, user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE field_changes (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    org_id      CHAR(36) NOT NULL,
    document_id CHAR(36) NOT NULL,
    field       VARCHAR(200) NOT NULL,
    from_value  LONGTEXT NOT NULL,
    to_value    LONGTEXT NOT NULL,
    source      VARCHAR(200) NOT NULL,
    changed_by  VARCHAR(100) NOT NULL,
    cause       LONGTEXT NOT NULL,
    changed_at  BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX field_changes_document ON field_changes (org_id, document_id, id);

CREATE INDEX documents_waiting ON documents (org_id, form_id, status, id);

-- +goose Down
DROP INDEX documents_waiting ON documents;
DROP TABLE field_changes;
DROP TABLE double_entries;
DROP TABLE document_leases;
