-- SQLite and PostgreSQL make jobs_unique and jobs_document partial in this
-- version (see their 00021). MySQL and MariaDB have no partial indexes and
-- keep the whole ones. The file keeps the version numbers of the three
-- dialects the same.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
