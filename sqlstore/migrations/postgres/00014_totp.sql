-- Second factors (TOTP) of password users and each org's rule about them.
-- secret is sealed with the server's secret key (AES-256-GCM, the row's
-- org and user as associated data); confirmed_at is NULL while the person
-- enrols; last_step is the time step of the last code accepted, so a code
-- works once. Recovery codes are kept as SHA-256 hashes and deleted when
-- used.

-- +goose Up
CREATE TABLE user_totp (
    org_id       TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    secret       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    confirmed_at BIGINT,
    last_step    BIGINT NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE TABLE user_recovery_codes (
    org_id     TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    hash       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, user_id, hash)
);
CREATE TABLE org_totp_rules (
    org_id     TEXT PRIMARY KEY,
    required   BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE org_totp_rules;
DROP TABLE user_recovery_codes;
DROP TABLE user_totp;
