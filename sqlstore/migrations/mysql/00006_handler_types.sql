-- Handlers of every type (webhook, e-mail, export) with conditions, a
-- delivery log whose rows can be named (to redeliver one), and the time a
-- document was last exported (for retention after export).

-- +goose Up
ALTER TABLE handlers ADD COLUMN settings MEDIUMTEXT NOT NULL;
UPDATE handlers SET settings = '{}';
ALTER TABLE handlers ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
UPDATE handlers SET updated_at = created_at;

ALTER TABLE handler_deliveries ADD COLUMN id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY FIRST;
ALTER TABLE handler_deliveries ADD COLUMN event VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE handler_deliveries ADD COLUMN document_id VARCHAR(36) NOT NULL DEFAULT '';
ALTER TABLE handler_deliveries ADD COLUMN event_at BIGINT NOT NULL DEFAULT 0;
DROP INDEX handler_deliveries_handler ON handler_deliveries;
CREATE INDEX handler_deliveries_handler ON handler_deliveries (org_id, handler_id, id);
CREATE INDEX handler_deliveries_age ON handler_deliveries (attempted_at);

ALTER TABLE documents ADD COLUMN exported_at BIGINT NULL;

-- +goose Down
ALTER TABLE documents DROP COLUMN exported_at;
DROP INDEX handler_deliveries_age ON handler_deliveries;
DROP INDEX handler_deliveries_handler ON handler_deliveries;
CREATE INDEX handler_deliveries_handler ON handler_deliveries (org_id, handler_id, attempted_at);
ALTER TABLE handler_deliveries DROP COLUMN event_at;
ALTER TABLE handler_deliveries DROP COLUMN document_id;
ALTER TABLE handler_deliveries DROP COLUMN event;
ALTER TABLE handler_deliveries DROP COLUMN id;
ALTER TABLE handlers DROP COLUMN updated_at;
ALTER TABLE handlers DROP COLUMN settings;
