-- Jobs and their transition history. Times are Unix epoch milliseconds (UTC).
-- Status values are the HMC wire names; the triggers below make the store itself enforce the
-- transition table, whatever a caller's SQL says.
CREATE TABLE jobs (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT, -- AUTOINCREMENT: an id is never reused, even after a delete
    status                TEXT    NOT NULL,
    operation             TEXT    NOT NULL,
    op_group              TEXT    NOT NULL,
    target                TEXT,
    target_key            TEXT,
    parameters            TEXT    NOT NULL,
    submitter             TEXT,
    idempotency_key       TEXT,
    time_submitted        INTEGER NOT NULL,
    not_before            INTEGER,
    time_started          INTEGER,
    time_completed        INTEGER,
    cancel_requested      INTEGER NOT NULL DEFAULT 0,
    cancel_requested_by   TEXT,
    attempt               INTEGER,
    node                  TEXT,
    target_limit          INTEGER NOT NULL DEFAULT 1,
    op_limit              INTEGER,
    busy_retry_after_s    INTEGER,
    wait_deadline         INTEGER,
    wait_retry_after_s    INTEGER NOT NULL DEFAULT 60,
    progress              TEXT,
    results               TEXT,
    messages              TEXT,
    error                 TEXT,
    retry_after_s         INTEGER,
    retry_of              INTEGER,
    retried_by            INTEGER,
    version               INTEGER NOT NULL DEFAULT 1
);

-- The queue: unclaimed NOT_STARTED jobs in submit order.
CREATE INDEX jobs_queue ON jobs (id) WHERE status = 'NOT_STARTED' AND attempt IS NULL;
-- Jobs that hold their target or count against their operation's limit: claimed or running.
CREATE INDEX jobs_active_target ON jobs (target_key) WHERE attempt IS NOT NULL AND status IN ('NOT_STARTED', 'RUNNING');
CREATE INDEX jobs_active_operation ON jobs (op_group, operation) WHERE attempt IS NOT NULL AND status IN ('NOT_STARTED', 'RUNNING');
CREATE UNIQUE INDEX jobs_idempotency_key ON jobs (idempotency_key) WHERE idempotency_key IS NOT NULL;
-- Every index is paid for on each write, so only the ones the engine needs on its hot path are kept:
-- lists (newest first) walk the primary key backwards, and counts by status scan the table.

CREATE TABLE job_transitions (
    job_id      INTEGER NOT NULL,
    time        INTEGER NOT NULL,
    from_status TEXT,
    to_status   TEXT    NOT NULL,
    node        TEXT,
    actor       TEXT,
    reason      TEXT
);
CREATE INDEX job_transitions_job ON job_transitions (job_id);

-- A terminal job never changes (retried_by, the link to a later retry, is the one column outside this list).
CREATE TRIGGER jobs_terminal_is_final
BEFORE UPDATE OF status, progress, results, messages, error, cancel_requested, time_started, time_completed, attempt, node, parameters ON jobs
WHEN OLD.status NOT IN ('NOT_STARTED', 'RUNNING')
BEGIN
    SELECT RAISE(ABORT, 'a terminal job never changes');
END;

CREATE TRIGGER jobs_legal_transitions
BEFORE UPDATE OF status ON jobs
WHEN NEW.status <> OLD.status AND NOT (
       (OLD.status = 'NOT_STARTED' AND NEW.status IN ('RUNNING', 'CANCELED_BEFORE_START', 'FAILED_TO_START', 'FAILED_BEFORE_COMPLETION_RETRY'))
    OR (OLD.status = 'RUNNING' AND NEW.status IN ('COMPLETED_OK', 'COMPLETED_WITH_WARNINGS', 'COMPLETED_WITH_ERROR',
                                                  'FAILED_BEFORE_COMPLETION', 'FAILED_BEFORE_COMPLETION_RETRY', 'CANCELED_WHILE_RUNNING')))
BEGIN
    SELECT RAISE(ABORT, 'illegal job status transition');
END;

CREATE TRIGGER jobs_insert_not_started
BEFORE INSERT ON jobs
WHEN NEW.status <> 'NOT_STARTED'
BEGIN
    SELECT RAISE(ABORT, 'a job is created NOT_STARTED');
END;
