-- A job's priority: higher starts first among the jobs that may start. Only jobs with a priority other
-- than 0 are in the new index, so a database whose jobs never use one pays nothing for it.
ALTER TABLE jobs ADD COLUMN priority integer NOT NULL DEFAULT 0;
CREATE INDEX jobs_queue_prioritized ON jobs (priority DESC, id) WHERE priority <> 0 AND status = 'NOT_STARTED' AND attempt IS NULL;

-- The claim walks the queue by priority (or, when p_oldest, in submit order): Functions/jobwright_claim.sql,
-- applied after the migrations, replaces 001's claim, whose signature lacked p_oldest.
DROP FUNCTION IF EXISTS jobwright_claim(text, bigint, text[], integer, bigint, bigint);
