-- The PDF last made of each document (one row per document): which state of
-- the document it shows (the document's updated_at when it was read) and the
-- blob it is in. GET /documents/{id}/pdf serves it while source_updated_at
-- equals the document's updated_at.

-- +goose Up
CREATE TABLE document_renders (
    org_id            TEXT NOT NULL,
    document_id       TEXT NOT NULL,
    source_updated_at BIGINT NOT NULL,
    blob_key          TEXT NOT NULL,
    sha256            TEXT NOT NULL,
    size              BIGINT NOT NULL,
    created_at        BIGINT NOT NULL,
    PRIMARY KEY (org_id, document_id)
);

-- +goose Down
DROP TABLE document_renders;
