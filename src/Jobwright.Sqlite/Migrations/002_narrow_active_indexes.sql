-- The indexes of active jobs hold only the jobs they are asked about: those with a target, and those
-- whose operation has a concurrency limit (as on PostgreSQL). A job without either no longer pays
-- for two index entries on its claim and two removals on its finish.
DROP INDEX jobs_active_target;
DROP INDEX jobs_active_operation;
CREATE INDEX jobs_active_target ON jobs (target_key) WHERE target_key IS NOT NULL AND attempt IS NOT NULL AND status IN ('NOT_STARTED', 'RUNNING');
CREATE INDEX jobs_active_operation ON jobs (op_group, operation) WHERE op_limit IS NOT NULL AND attempt IS NOT NULL AND status IN ('NOT_STARTED', 'RUNNING');
