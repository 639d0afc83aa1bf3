-- Jobs with a start time (notBefore: scheduled, retried later) wait in an index of their own, by that time, out
-- of the queue's indexes, so that a claim no longer walks past the ones not yet due.
DROP INDEX jobs_queue;
CREATE INDEX jobs_queue ON jobs (id) WHERE status = 'NOT_STARTED' AND attempt IS NULL AND not_before IS NULL;
DROP INDEX jobs_queue_prioritized;
CREATE INDEX jobs_queue_prioritized ON jobs (priority DESC, id) WHERE priority <> 0 AND status = 'NOT_STARTED' AND attempt IS NULL AND not_before IS NULL;
CREATE INDEX jobs_queue_scheduled ON jobs (not_before, id) WHERE status = 'NOT_STARTED' AND attempt IS NULL AND not_before IS NOT NULL;
-- The waiting and the running jobs in id order: a list of either reads its own few, not every job ever kept.
CREATE INDEX jobs_list_not_started ON jobs (id) WHERE status = 'NOT_STARTED';
CREATE INDEX jobs_list_running ON jobs (id) WHERE status = 'RUNNING';

-- The claim that takes the due jobs first from jobs_queue_scheduled is in Functions/jobwright_claim.sql,
-- applied after the migrations.
