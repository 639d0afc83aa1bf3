-- A job's priority: higher starts first among the jobs that may start. Only jobs with a priority other
-- than 0 are in the new index, so a store whose jobs never use one pays nothing for it.
ALTER TABLE jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
CREATE INDEX jobs_queue_prioritized ON jobs (priority DESC, id) WHERE priority <> 0 AND status = 'NOT_STARTED' AND attempt IS NULL;
