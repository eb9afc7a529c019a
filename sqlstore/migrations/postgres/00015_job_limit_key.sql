-- A job's limit key names what its kind limits the running jobs of: a
-- delivery's handler ("handler <id>"). A claim skips the available jobs
-- whose key already has its limit of running jobs on the claiming node,
-- so one busy endpoint's deliveries wait in the queue instead of being
-- claimed and snoozed (inkform.EnqueueOpts.LimitKey). Jobs stored before
-- have none; the deliver worker still limits those itself.

-- +goose Up
ALTER TABLE jobs ADD COLUMN limit_key TEXT;

-- +goose Down
ALTER TABLE jobs DROP COLUMN limit_key;
