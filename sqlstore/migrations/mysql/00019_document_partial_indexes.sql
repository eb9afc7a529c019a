-- SQLite and PostgreSQL make the documents' feed, validated and exported
-- indexes partial in this version (see their 00019). MySQL and MariaDB
-- have no partial indexes and keep the whole ones. The file keeps the
-- version numbers of the three dialects the same.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
