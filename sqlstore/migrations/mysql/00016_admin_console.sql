-- The console's user and token administration: disabled_at is when an
-- admin disabled a user (0: enabled; a disabled user cannot sign in) and a
-- token's expires_at when it stops working (0: never).

-- +goose Up
ALTER TABLE users ADD COLUMN disabled_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tokens ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE tokens DROP COLUMN expires_at;
ALTER TABLE users DROP COLUMN disabled_at;
