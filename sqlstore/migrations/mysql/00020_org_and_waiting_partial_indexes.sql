-- SQLite and PostgreSQL make jobs_org and documents_waiting partial in
-- this version (see their 00020). MySQL and MariaDB have no partial
-- indexes and keep the whole ones. The file keeps the version numbers of
-- the three dialects the same.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
