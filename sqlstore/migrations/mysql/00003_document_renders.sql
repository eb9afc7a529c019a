-- The PDF last made of each document (one row per document): which state of
-- the document it shows (the document's updated_at when it was read) and the
-- blob it is in. GET /documents/{id}/pdf serves it while source_updated_at
-- equals the document's updated_at.

-- +goose Up
CREATE TABLE document_renders (
    org_id            CHAR(36) NOT NULL,
    document_id       CHAR(36) NOT NULL,
    source_updated_at BIGINT NOT NULL,
    blob_key          VARCHAR(1024) NOT NULL,
    sha256            CHAR(64) NOT NULL,
    size              BIGINT NOT NULL,
    created_at        BIGINT NOT NULL,
    PRIMARY KEY (org_id, document_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE document_renders;
