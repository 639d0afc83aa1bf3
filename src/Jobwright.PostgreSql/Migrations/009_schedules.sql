-- Recurring jobs. jobwright_fire_schedule moves a schedule on and stores its runs in one transaction, over
-- the version the caller read: of two nodes firing the same due time, one stores its runs, the other nothing.
CREATE TABLE schedules (
    id          bigserial PRIMARY KEY,
    name        text    NOT NULL UNIQUE,
    operation   text    NOT NULL,
    op_group    text    NOT NULL,
    target      text,
    parameters  text    NOT NULL,
    cron        text,
    interval_ms bigint,
    time_zone   text    NOT NULL,
    start_at    bigint  NOT NULL,
    end_at      bigint,
    misfire     text    NOT NULL,
    catch_up_ms bigint  NOT NULL,
    overlap     text    NOT NULL,
    paused      boolean NOT NULL,
    next_run    bigint,
    last_due    bigint  NOT NULL,
    last_job_id bigint,
    created_by  text,
    created_at  bigint  NOT NULL,
    version     bigint  NOT NULL
);
CREATE INDEX schedules_due ON schedules (next_run) WHERE NOT paused AND next_run IS NOT NULL;
ALTER TABLE jobs ADD COLUMN schedule_id bigint;
CREATE INDEX jobs_schedule ON jobs (schedule_id) WHERE schedule_id IS NOT NULL;

-- p_runs: a JSON array of jobs ({ operation, group, target, targetKey, parameters, submitter, key, targetLimit,
-- opLimit, busyRetryAfter, waitDeadline, waitRetryAfter, priority, messages }); one with messages is a run not made
-- and ends CANCELED_BEFORE_START at once. Returns the stored jobs, in order; nothing when the version moved.
CREATE FUNCTION jobwright_fire_schedule(p_id bigint, p_version bigint, p_last_due bigint, p_next_run bigint, p_runs jsonb, p_now bigint)
RETURNS TABLE (job_id bigint, status text, version bigint) LANGUAGE plpgsql AS $$
DECLARE
    r jsonb;
    created bigint;
    last_run bigint;
BEGIN
    UPDATE schedules s SET version = s.version + 1 WHERE s.id = p_id AND s.version = p_version;
    IF NOT FOUND THEN
        RETURN;
    END IF;

    FOR r IN SELECT value FROM jsonb_array_elements(p_runs) LOOP
        INSERT INTO jobs (status, operation, op_group, target, target_key, parameters, submitter, idempotency_key, time_submitted,
                          target_limit, op_limit, busy_retry_after_s, wait_deadline, wait_retry_after_s, priority, schedule_id)
        VALUES ('NOT_STARTED', r->>'operation', r->>'group', r->>'target', r->>'targetKey', r->>'parameters', r->>'submitter', r->>'key', p_now,
                (r->>'targetLimit')::integer, (r->>'opLimit')::integer, (r->>'busyRetryAfter')::integer, (r->>'waitDeadline')::bigint,
                (r->>'waitRetryAfter')::integer, (r->>'priority')::integer, p_id)
        RETURNING id INTO created;
        IF r->>'messages' IS NOT NULL THEN
            RETURN QUERY
            UPDATE jobs j SET status = 'CANCELED_BEFORE_START', time_completed = p_now, messages = r->>'messages', version = j.version + 1
            WHERE j.id = created RETURNING j.id, j.status, j.version;
        ELSE
            last_run := created;
            RETURN QUERY SELECT created, 'NOT_STARTED'::text, 1::bigint;
        END IF;
    END LOOP;

    UPDATE schedules s SET last_due = p_last_due, next_run = p_next_run, last_job_id = COALESCE(last_run, s.last_job_id) WHERE s.id = p_id;
END $$;
