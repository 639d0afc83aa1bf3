-- The claim: one node at a time in the whole cluster (an advisory lock) takes up to p_max queued jobs for
-- p_node, in this order: the jobs whose start time is due, earliest first (from their own index); then by
-- priority — above 0, at 0 in submit order, below 0 — or, one claim in four (p_oldest), in submit order alone,
-- so that no job starves. It skips paused targets and operations, and targets and operations at their limits;
-- a job waiting for its busy target ends FAILED_BEFORE_COMPLETION_RETRY here when its policy says so, and the
-- later jobs of the same target and operation are left out of the next pages (they wait as long).
--
-- This file is the claim's one definition: PgMigrator applies it after the numbered migrations, whenever it
-- changed or a migration ran. Change the claim here, not in a migration.
CREATE OR REPLACE FUNCTION jobwright_claim(p_node text, p_instance bigint, p_operations text[], p_max integer, p_now bigint, p_attempt bigint, p_oldest boolean)
RETURNS SETOF jobs LANGUAGE plpgsql
-- The queue is walked in the order of the phase through its partial index, a page at a time, and the chosen jobs are
-- updated through the primary key. A fresh table has no statistics yet, and the planner would sort
-- every queued job or scan the whole table instead; these settings rule that out.
SET enable_sort = off SET enable_bitmapscan = off SET enable_seqscan = off
AS $$
DECLARE
    c record;
    after_id bigint := 0;
    after_key bigint;         -- the last row's order key: its priority, or in the 'due' phase its start time
    phase text;
    paused_targets text[];
    paused_operations text[];
    page integer := p_max * 2 + 16;    -- most claims take the next few jobs; blocked jobs make it page on
    in_page integer;
    scanned integer := 0;
    chosen bigint[] := '{}';
    held jsonb;               -- target_key -> jobs holding it (active, plus chosen here); a target not in it is free
    held_by jsonb := '{}';    -- target_key -> the first job chosen for it here
    op_held jsonb := '{}';    -- group/operation -> jobs counting against its limit
    op_key text;
    n integer;
    retry integer;
    holder bigint;
    reason text;
    waiting_behind text[] := '{}';   -- target_key || chr(10) || group/operation of the jobs waiting for a busy target
    read_floor bigint;
    read_pending bigint;
    read_xmax xid8;
    read_requeues bigint;
    promotable boolean;
    queue_floor bigint;       -- no queued job in jobs_queue has a smaller id (see migration 013)
    next_pending bigint;       -- the next bound (see migration 013)
    next_xmax xid8;
    moved integer;
    any_due boolean;          -- a scheduled job is due
    any_prioritized boolean;  -- a queued job has a priority other than 0
BEGIN
    IF p_instance IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM cluster_nodes WHERE name = p_node AND instance = p_instance AND lease_expires > clock_timestamp()) THEN
        RETURN;
    END IF;

    -- Limits hold across nodes because one claim runs at a time in the whole cluster; a claim takes
    -- a few milliseconds, and SKIP LOCKED keeps it from waiting on rows that cancels are changing.
    PERFORM pg_advisory_xact_lock(hashtext('jobwright_claim_' || current_schema()));
    -- The floor, and whether it may move: every transaction older than the last bound's has ended, so every job
    -- with an id below that bound is committed (or gone) and seen now.
    SELECT f.floor, f.pending, f.pending_xmax, f.requeues, COALESCE(f.pending IS NOT NULL AND pg_snapshot_xmin(pg_current_snapshot()) >= f.pending_xmax, false)
    INTO read_floor, read_pending, read_xmax, read_requeues, promotable
    FROM claim_floor f;
    IF NOT FOUND THEN
        -- Emptied by a crash (the table is unlogged): from the start again.
        INSERT INTO claim_floor DEFAULT VALUES ON CONFLICT DO NOTHING;
        read_floor := 0;
        read_requeues := 0;
    END IF;
    queue_floor := read_floor;
    IF promotable THEN
        -- Up to the lowest queued id seen now, and never past the bound: a higher id may not be committed yet.
        queue_floor := LEAST(read_pending, COALESCE(
            (SELECT min(q.id) FROM jobs q WHERE q.status = 'NOT_STARTED' AND q.attempt IS NULL AND q.not_before IS NULL AND q.id >= read_floor),
            read_pending));
    END IF;
    -- The next bound: one past the last id handed out, and then a transaction id of this claim's own, taken after
    -- it (a snapshot's xmax will not do: it is one past the last transaction to end, and transactions that began
    -- before it may still run). A job's id is taken after its transaction's id (migration 013), so every job below
    -- the bound belongs to a transaction with a lower id: once none of those runs, all of them are seen. Only when
    -- this transaction had no id yet, else its id is older than some it must wait for: the bound then stays.
    next_pending := read_pending;
    next_xmax := read_xmax;
    IF (promotable OR read_pending IS NULL) AND pg_current_xact_id_if_assigned() IS NULL THEN
        next_pending := COALESCE(pg_sequence_last_value(pg_get_serial_sequence('jobs', 'id')), 0) + 1;
        IF read_pending IS NULL OR next_pending > read_pending THEN
            next_xmax := pg_current_xact_id();
        ELSE
            -- No id handed out since: the bound stays, and an idle claim takes no transaction id.
            next_pending := read_pending;
        END IF;
    END IF;
    -- Written only when the floor or the bound moves: an idle node's empty claims write nothing, and while an old
    -- snapshot is held every write leaves a row version behind.
    IF (read_pending IS NULL AND next_pending IS NOT NULL) OR (promotable AND (queue_floor > read_floor OR next_pending > read_pending)) THEN
        UPDATE claim_floor SET floor = queue_floor, pending = next_pending, pending_xmax = next_xmax
        WHERE requeues = read_requeues;
        GET DIAGNOSTICS moved = ROW_COUNT;
        IF moved = 0 THEN
            -- A job was put back in the queue since the floor was read: this claim walks it all.
            queue_floor := 0;
        END IF;
    END IF;

    -- Each page is an EXECUTE, planned on every call: the orders with nothing in their index are left out, and with
    -- nothing queued at all (most claims of an idle node, made after each start and finish) the claim ends here.
    any_due := EXISTS (SELECT 1 FROM jobs q WHERE q.status = 'NOT_STARTED' AND q.attempt IS NULL AND q.not_before IS NOT NULL AND q.not_before <= p_now);
    IF NOT any_due AND NOT EXISTS (
        SELECT 1 FROM jobs q WHERE q.status = 'NOT_STARTED' AND q.attempt IS NULL AND q.not_before IS NULL AND q.id >= queue_floor) THEN
        RETURN;
    END IF;
    any_prioritized := EXISTS (SELECT 1 FROM jobs q WHERE q.priority <> 0 AND q.status = 'NOT_STARTED' AND q.attempt IS NULL AND q.not_before IS NULL);

    paused_targets := ARRAY(SELECT key FROM pauses WHERE kind = 'target');
    paused_operations := ARRAY(SELECT key FROM pauses WHERE kind = 'operation');
    -- Every held target at once (the active jobs are at most the cluster's worker slots): a target not in it is free.
    SELECT COALESCE(jsonb_object_agg(t.target_key, t.n), '{}') INTO held FROM (
        SELECT j.target_key, count(*) AS n FROM jobs j
        WHERE j.target_key IS NOT NULL AND j.attempt IS NOT NULL AND j.status IN ('NOT_STARTED', 'RUNNING')
        GROUP BY j.target_key) t;

    -- By priority: the jobs above 0, those at 0 in submit order, those below; or, one claim in four (the
    -- caller's p_oldest), in submit order alone, so that no job starves.
    FOREACH phase IN ARRAY CASE WHEN p_oldest THEN ARRAY['due', 'submitted'] ELSE ARRAY['due', 'above', 'at', 'below'] END
    LOOP
        EXIT WHEN cardinality(chosen) >= p_max OR scanned >= 5000;
        CONTINUE WHEN (phase = 'due' AND NOT any_due) OR (phase IN ('above', 'below') AND NOT any_prioritized);
        -- The walks of jobs_queue in id order start at the floor; the others' indexes hold only their own few jobs.
        after_id := CASE WHEN phase IN ('at', 'submitted') THEN queue_floor - 1 ELSE 0 END;
        after_key := CASE WHEN phase = 'due' THEN -9223372036854775808 ELSE 2147483647 END;
        <<pages>>
        LOOP
            in_page := 0;
            FOR c IN EXECUTE
                'SELECT j.id, j.priority, j.target_key, j.op_group, j.operation, j.not_before, j.target_limit, j.op_limit, '
                || 'j.busy_retry_after_s, j.wait_deadline, j.wait_retry_after_s FROM jobs j '
                || 'WHERE j.status = ''NOT_STARTED'' AND j.attempt IS NULL '
                || 'AND ($3::text[] IS NULL OR j.op_group || ''/'' || j.operation = ANY ($3)) '
                || 'AND (j.target_key IS NULL OR cardinality($6) = 0 OR NOT (j.target_key || chr(10) || j.op_group || ''/'' || j.operation = ANY ($6))) '
                -- A job that can only wait is left out, not locked and read: one that may have but one job on its
                -- target, whose busy policy does not end it yet, whose target is held, or that has a job of its own
                -- target, operation and priority ahead of it in line (that one starts first, or waits for the same
                -- reasons). Jobs past their wait bound, or set to retry at once, are still read: the claim ends them.
                || 'AND NOT (j.target_key IS NOT NULL AND j.target_limit = 1 AND j.busy_retry_after_s IS NULL '
                || 'AND (j.wait_deadline IS NULL OR j.wait_deadline > $5) AND ($7 ? j.target_key OR (j.not_before IS NULL AND EXISTS ('
                || 'SELECT 1 FROM jobs a WHERE a.target_key = j.target_key AND a.op_group = j.op_group AND a.operation = j.operation '
                || 'AND a.priority = j.priority AND a.id < j.id AND a.status = ''NOT_STARTED'' AND a.attempt IS NULL AND a.not_before IS NULL '
                || 'AND a.target_key IS NOT NULL)))) AND '
                || CASE phase
                       WHEN 'due' THEN 'j.not_before IS NOT NULL AND j.not_before <= $5 AND (j.not_before > $2 OR (j.not_before = $2 AND j.id > $1)) ORDER BY j.not_before, j.id'
                       WHEN 'submitted' THEN 'j.not_before IS NULL AND j.id > $1 ORDER BY j.id'
                       WHEN 'at' THEN 'j.not_before IS NULL AND j.priority = 0 AND j.id > $1 ORDER BY j.id'
                       WHEN 'above' THEN 'j.not_before IS NULL AND j.priority <> 0 AND j.priority > 0 AND (j.priority < $2 OR (j.priority = $2 AND j.id > $1)) ORDER BY j.priority DESC, j.id'
                       ELSE 'j.not_before IS NULL AND j.priority <> 0 AND j.priority < 0 AND (j.priority < $2 OR (j.priority = $2 AND j.id > $1)) ORDER BY j.priority DESC, j.id'
                   END
                || ' LIMIT $4 FOR UPDATE SKIP LOCKED'
                USING after_id, after_key, p_operations, page, p_now, waiting_behind, held
            LOOP
                EXIT pages WHEN cardinality(chosen) >= p_max;
                in_page := in_page + 1;
                after_id := c.id;
                after_key := CASE WHEN phase = 'due' THEN c.not_before ELSE c.priority END;
                CONTINUE WHEN c.not_before IS NOT NULL AND c.not_before > p_now;
                -- A paused target's or operation's jobs wait (checked before a busy target may end them).
                CONTINUE WHEN c.target_key = ANY (paused_targets) OR (c.op_group || '/' || c.operation) = ANY (paused_operations);

                IF c.target_key IS NOT NULL THEN
                    IF COALESCE((held ->> c.target_key)::integer, 0) >= c.target_limit THEN
                        retry := CASE WHEN c.busy_retry_after_s IS NOT NULL THEN c.busy_retry_after_s
                                      WHEN c.wait_deadline IS NOT NULL AND c.wait_deadline <= p_now THEN c.wait_retry_after_s END;
                        IF retry IS NOT NULL THEN
                            SELECT j.id INTO holder FROM jobs j
                            WHERE j.target_key = c.target_key AND j.attempt IS NOT NULL AND j.status IN ('NOT_STARTED', 'RUNNING')
                            ORDER BY j.id LIMIT 1;
                            holder := COALESCE(holder, (held_by ->> c.target_key)::bigint);
                            reason := format('target ''%s'' is busy%s; try again in %ss', c.target_key,
                                             CASE WHEN holder IS NULL THEN '' ELSE format(' (held by job %s)', holder) END, retry);
                            RETURN QUERY
                            WITH ended AS (
                                UPDATE jobs j
                                SET status = 'FAILED_BEFORE_COMPLETION_RETRY', time_completed = p_now, retry_after_s = retry,
                                    results = jsonb_build_object('returnCode', '1', 'result', reason)::text,
                                    error = jsonb_build_object('message', reason)::text,
                                    version = j.version + 1
                                WHERE j.id = c.id AND j.status = 'NOT_STARTED' AND j.attempt IS NULL
                                RETURNING j.*
                            ), history AS (
                                INSERT INTO job_transitions (job_id, time, from_status, to_status, reason)
                                SELECT e.id, p_now, 'NOT_STARTED', 'FAILED_BEFORE_COMPLETION_RETRY', reason FROM ended e
                            )
                            SELECT * FROM ended;
                        ELSIF NOT (c.target_key || chr(10) || c.op_group || '/' || c.operation) = ANY (waiting_behind) THEN
                            waiting_behind := waiting_behind || (c.target_key || chr(10) || c.op_group || '/' || c.operation);
                        END IF;
                        CONTINUE;
                    END IF;
                END IF;

                IF c.op_limit IS NOT NULL THEN
                    op_key := c.op_group || '/' || c.operation;
                    IF NOT op_held ? op_key THEN
                        SELECT count(*) INTO n FROM jobs j
                        WHERE j.op_group = c.op_group AND j.operation = c.operation AND j.op_limit IS NOT NULL
                          AND j.attempt IS NOT NULL AND j.status IN ('NOT_STARTED', 'RUNNING');
                        op_held := op_held || jsonb_build_object(op_key, n);
                    END IF;
                    CONTINUE WHEN (op_held ->> op_key)::integer >= c.op_limit;
                    op_held := op_held || jsonb_build_object(op_key, (op_held ->> op_key)::integer + 1);
                END IF;

                IF c.target_key IS NOT NULL THEN
                    held := held || jsonb_build_object(c.target_key, COALESCE((held ->> c.target_key)::integer, 0) + 1);
                    IF NOT held_by ? c.target_key THEN
                        held_by := held_by || jsonb_build_object(c.target_key, c.id);
                    END IF;
                END IF;
                chosen := chosen || c.id;
            END LOOP;
            scanned := scanned + in_page;
            -- Past 5000 blocked jobs in one claim, the rest wait for the next one.
            EXIT WHEN in_page < page OR cardinality(chosen) >= p_max OR scanned >= 5000;
        END LOOP pages;
    END LOOP;

    IF cardinality(chosen) > 0 THEN
        RETURN QUERY
        UPDATE jobs j SET attempt = p_attempt, node = p_node, version = j.version + 1
        WHERE j.id = ANY (chosen) AND j.status = 'NOT_STARTED' AND j.attempt IS NULL
        RETURNING j.*;
    END IF;
END $$;
