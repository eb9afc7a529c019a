-- SQLite and PostgreSQL make the job queue's state indexes partial in this
-- version (see their 00018). MySQL and MariaDB have no partial indexes, so
-- here the indexes stay whole: every query keeps the index it had. The
-- file keeps the version numbers of the three dialects the same.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
