-- Jobs, their transition history and the cluster's nodes. Job times are Unix epoch milliseconds (UTC)
-- from the writing node's clock; node leases use the database's clock, so no node's clock decides
-- whether another node is alive. The triggers make the database itself enforce the transition table.
CREATE TABLE jobs (
    id                    bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- a sequence: an id is never reused
    status                text    NOT NULL,
    operation             text    NOT NULL,
    op_group              text    NOT NULL,
    target                text,
    target_key            text,
    parameters            text    NOT NULL,
    submitter             text,
    idempotency_key       text,
    time_submitted        bigint  NOT NULL,
    not_before            bigint,
    time_started          bigint,
    time_completed        bigint,
    cancel_requested      boolean NOT NULL DEFAULT false,
    cancel_requested_by   text,
    attempt               bigint,
    node                  text,
    target_limit          integer NOT NULL DEFAULT 1,
    op_limit              integer,
    busy_retry_after_s    integer,
    wait_deadline         bigint,
    wait_retry_after_s    integer NOT NULL DEFAULT 60,
    progress              text,
    results               text,
    messages              text,
    error                 text,
    retry_after_s         integer,
    retry_of              bigint,
    retried_by            bigint,
    version               bigint  NOT NULL DEFAULT 1
);

-- The queue: unclaimed NOT_STARTED jobs in submit order.
CREATE INDEX jobs_queue ON jobs (id) WHERE status = 'NOT_STARTED' AND attempt IS NULL;
-- Claimed or running jobs, by what they hold: a target, an operation's limit, a node's lease. Only jobs
-- that have a target (or a limit) are in the first two, so the many jobs without cost nothing there.
CREATE INDEX jobs_active_target ON jobs (target_key) WHERE target_key IS NOT NULL AND attempt IS NOT NULL AND status IN ('NOT_STARTED', 'RUNNING');
CREATE INDEX jobs_active_operation ON jobs (op_group, operation) WHERE op_limit IS NOT NULL AND attempt IS NOT NULL AND status IN ('NOT_STARTED', 'RUNNING');
CREATE INDEX jobs_active_node ON jobs (node) WHERE attempt IS NOT NULL AND status IN ('NOT_STARTED', 'RUNNING');
CREATE UNIQUE INDEX jobs_idempotency_key ON jobs (idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE job_transitions (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id      bigint NOT NULL,
    time        bigint NOT NULL,
    from_status text,
    to_status   text   NOT NULL,
    node        text,
    actor       text,
    reason      text
);
CREATE INDEX job_transitions_job ON job_transitions (job_id);

-- Live nodes. A row whose lease ran out (by this database's clock) is a lost node, to be rescued.
CREATE TABLE cluster_nodes (
    name          text        PRIMARY KEY,
    instance      bigint      NOT NULL,
    host          text        NOT NULL,
    pid           integer     NOT NULL,
    version       text        NOT NULL,
    worker_slots  integer     NOT NULL,
    operations    text[]      NOT NULL,
    lease_ms      integer     NOT NULL,
    started_at    timestamptz NOT NULL,
    heartbeat_at  timestamptz NOT NULL,
    lease_expires timestamptz NOT NULL,
    jobs_running  integer     NOT NULL DEFAULT 0,
    jobs_claimed  integer     NOT NULL DEFAULT 0
);

-- A job is created NOT_STARTED; a terminal job never changes (retried_by, the link to a later retry,
-- is the one column outside this check); a status changes only along the transition table. The checks
-- are the triggers' WHEN conditions, evaluated without a function call on every write; the functions
-- only raise the error.
CREATE FUNCTION jobwright_refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a job is created NOT_STARTED' USING ERRCODE = 'check_violation';
END $$;

CREATE FUNCTION jobwright_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status NOT IN ('NOT_STARTED', 'RUNNING') THEN
        RAISE EXCEPTION 'a terminal job never changes (job %)', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RAISE EXCEPTION 'illegal job status transition % -> % (job %)', OLD.status, NEW.status, OLD.id USING ERRCODE = 'check_violation';
END $$;

CREATE TRIGGER jobs_guard_insert BEFORE INSERT ON jobs FOR EACH ROW
WHEN (NEW.status <> 'NOT_STARTED')
EXECUTE FUNCTION jobwright_refuse_insert();

CREATE TRIGGER jobs_guard_update BEFORE UPDATE ON jobs FOR EACH ROW
WHEN ((OLD.status NOT IN ('NOT_STARTED', 'RUNNING') AND
       (NEW.status, NEW.progress, NEW.results, NEW.messages, NEW.error, NEW.cancel_requested, NEW.time_started,
        NEW.time_completed, NEW.attempt, NEW.node, NEW.parameters)
       IS DISTINCT FROM
       (OLD.status, OLD.progress, OLD.results, OLD.messages, OLD.error, OLD.cancel_requested, OLD.time_started,
        OLD.time_completed, OLD.attempt, OLD.node, OLD.parameters))
   OR (NEW.status <> OLD.status AND NOT (
           (OLD.status = 'NOT_STARTED' AND NEW.status IN ('RUNNING', 'CANCELED_BEFORE_START', 'FAILED_TO_START', 'FAILED_BEFORE_COMPLETION_RETRY'))
        OR (OLD.status = 'RUNNING' AND NEW.status IN ('COMPLETED_OK', 'COMPLETED_WITH_WARNINGS', 'COMPLETED_WITH_ERROR',
                                                      'FAILED_BEFORE_COMPLETION', 'FAILED_BEFORE_COMPLETION_RETRY', 'CANCELED_WHILE_RUNNING')))))
EXECUTE FUNCTION jobwright_refuse_update();

-- Every committed change is announced to the other nodes, one notification per statement (split so
-- that none passes the 8000-byte limit): "id:status:version[:flags]", flags q = queued, c = cancel asked.
CREATE FUNCTION jobwright_notify_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('jobwright_' || TG_TABLE_SCHEMA, string_agg(entry, ','))
    FROM (SELECT id || ':' || status || ':' || version
                 || CASE WHEN status = 'NOT_STARTED' AND attempt IS NULL THEN ':q'
                         WHEN status = 'RUNNING' AND cancel_requested THEN ':c'
                         ELSE '' END AS entry,
                 (row_number() OVER ()) / 120 AS chunk
          FROM changed) entries
    GROUP BY chunk;
    RETURN NULL;
END $$;

CREATE FUNCTION jobwright_notify_deletes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('jobwright_' || TG_TABLE_SCHEMA, string_agg(id || ':-:0', ','))
    FROM (SELECT id, (row_number() OVER ()) / 300 AS chunk FROM changed) entries
    GROUP BY chunk;
    RETURN NULL;
END $$;

CREATE TRIGGER jobs_notify_insert AFTER INSERT ON jobs REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION jobwright_notify_changes();
CREATE TRIGGER jobs_notify_update AFTER UPDATE ON jobs REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION jobwright_notify_changes();
CREATE TRIGGER jobs_notify_delete AFTER DELETE ON jobs REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION jobwright_notify_deletes();

-- Ends what a lost node left (every node's when p_node is null): RUNNING jobs become FAILED_BEFORE_COMPLETION
-- with a message naming the node; claimed, not begun jobs return to the queue. Returns the changed jobs.
CREATE FUNCTION jobwright_rescue(p_node text, p_now bigint, p_message text)
RETURNS TABLE (job_id bigint, status text, version bigint) LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH failed AS (
        UPDATE jobs j
        SET status = 'FAILED_BEFORE_COMPLETION',
            time_completed = p_now,
            progress = CASE WHEN j.progress IS NULL THEN NULL ELSE (j.progress::jsonb - 'currentTask')::text END,
            results = (jsonb_build_object('returnCode', '1', 'result', p_message || ' (node ' || j.node || ')') || COALESCE(j.results::jsonb, '{}'))::text,
            error = jsonb_build_object('message', p_message || ' (node ' || j.node || ')')::text,
            version = j.version + 1
        WHERE j.status = 'RUNNING' AND j.attempt IS NOT NULL AND (p_node IS NULL OR j.node = p_node)
        RETURNING j.id, j.status, j.version, j.node
    ), history AS (
        INSERT INTO job_transitions (job_id, time, from_status, to_status, node, actor, reason)
        SELECT f.id, p_now, 'RUNNING', 'FAILED_BEFORE_COMPLETION', f.node, 'recovery', p_message || ' (node ' || f.node || ')' FROM failed f
    ), released AS (
        UPDATE jobs j
        SET attempt = NULL, node = NULL, version = j.version + 1
        WHERE j.status = 'NOT_STARTED' AND j.attempt IS NOT NULL AND (p_node IS NULL OR j.node = p_node)
        RETURNING j.id, j.status, j.version
    )
    SELECT f.id, f.status, f.version FROM failed f
    UNION ALL
    SELECT r.id, r.status, r.version FROM released r;
END $$;

-- The claim, jobwright_claim(...), is defined in Functions/jobwright_claim.sql, applied after the migrations
-- (it replaced the versions this migration, 005 and 007 once carried).

-- Registers a node, taking the name over from an earlier run of it: what that run left is rescued now.
CREATE FUNCTION jobwright_join(p_node text, p_instance bigint, p_host text, p_pid integer, p_version text, p_slots integer,
                               p_operations text[], p_lease_ms integer, p_now bigint, p_message text)
RETURNS TABLE (job_id bigint, status text, version bigint) LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    PERFORM 1 FROM cluster_nodes WHERE name = p_node FOR UPDATE;
    RETURN QUERY SELECT * FROM jobwright_rescue(p_node, p_now, p_message);
    INSERT INTO cluster_nodes (name, instance, host, pid, version, worker_slots, operations, lease_ms, started_at, heartbeat_at, lease_expires)
    VALUES (p_node, p_instance, p_host, p_pid, p_version, p_slots, p_operations, p_lease_ms, clock_timestamp(), clock_timestamp(),
            clock_timestamp() + make_interval(secs => p_lease_ms / 1000.0))
    ON CONFLICT (name) DO UPDATE SET
        instance = EXCLUDED.instance, host = EXCLUDED.host, pid = EXCLUDED.pid, version = EXCLUDED.version,
        worker_slots = EXCLUDED.worker_slots, operations = EXCLUDED.operations, lease_ms = EXCLUDED.lease_ms,
        started_at = EXCLUDED.started_at, heartbeat_at = EXCLUDED.heartbeat_at, lease_expires = EXCLUDED.lease_expires,
        jobs_running = 0, jobs_claimed = 0;
END $$;

-- Renews a node's lease and reports the cancels asked for its running jobs (the fallback for a lost
-- notification). 'lost' when the cluster gave the node up. One node at a time (whoever takes the lock)
-- rescues the nodes whose lease ran out; after a restart of the database every node gets a full lease
-- to beat again before it can be given up.
CREATE FUNCTION jobwright_heartbeat(p_node text, p_instance bigint, p_running integer, p_claimed integer, p_now bigint, p_message text)
RETURNS TABLE (kind text, job_id bigint, status text, version bigint, node text) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    lost record;
BEGIN
    UPDATE cluster_nodes n
    SET heartbeat_at = clock_timestamp(), lease_expires = clock_timestamp() + make_interval(secs => n.lease_ms / 1000.0),
        jobs_running = p_running, jobs_claimed = p_claimed
    WHERE n.name = p_node AND n.instance = p_instance;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'lost'::text, NULL::bigint, NULL::text, NULL::bigint, p_node;
        RETURN;
    END IF;

    RETURN QUERY
    SELECT 'cancel'::text, j.id, j.status, j.version, j.node FROM jobs j
    WHERE j.node = p_node AND j.attempt IS NOT NULL AND j.status = 'RUNNING' AND j.cancel_requested;

    IF pg_try_advisory_xact_lock(hashtext('jobwright_rescue_' || current_schema())) THEN
        FOR lost IN
            SELECT n.name FROM cluster_nodes n
            WHERE n.lease_expires < clock_timestamp()
              AND clock_timestamp() > pg_postmaster_start_time() + make_interval(secs => n.lease_ms / 1000.0)
            FOR UPDATE SKIP LOCKED
        LOOP
            RETURN QUERY SELECT 'changed'::text, r.job_id, r.status, r.version, lost.name FROM jobwright_rescue(lost.name, p_now, p_message) r;
            DELETE FROM cluster_nodes n WHERE n.name = lost.name;
            RETURN QUERY SELECT 'rescued'::text, NULL::bigint, NULL::text, NULL::bigint, lost.name;
        END LOOP;
    END IF;
END $$;
