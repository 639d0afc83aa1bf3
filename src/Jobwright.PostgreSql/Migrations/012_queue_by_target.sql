-- The queued jobs of each target and operation in line, by priority and id: the claim (Functions/jobwright_claim.sql)
-- leaves out a job that has one of the same target, operation and priority ahead of it, instead of locking it
-- and reading it. 10,000 targets with 10 jobs each, queued target after target, had each claim read the queued
-- jobs of every target it had just made busy.
CREATE INDEX jobs_queue_target ON jobs (target_key, op_group, operation, priority, id)
    WHERE target_key IS NOT NULL AND status = 'NOT_STARTED' AND attempt IS NULL AND not_before IS NULL;
