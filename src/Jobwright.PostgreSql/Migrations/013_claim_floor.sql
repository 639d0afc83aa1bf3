-- Where the claim's walk of the queue in id order (jobs_queue) starts. The index keeps an entry for every job
-- claimed since VACUUM last ran, and while any session holds an old snapshot (a long transaction, a standby's
-- feedback) VACUUM removes none: every claim walked all of them from the queue's start, and the drain fell to
-- half within a minute. The floor is a job id below which no queued job waits.
-- Unlogged: a claim that takes nothing writes no WAL for it, so it waits for no flush. After a crash (or on a
-- promoted standby) the table is empty, and the next claim starts again from 0, which is always safe.
CREATE UNLOGGED TABLE claim_floor (
    only_row     boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    floor        bigint  NOT NULL DEFAULT 0,
    -- A bound taken by a claim: one past the last job id handed out, and a transaction id the claim took after
    -- it. Once every transaction before pending_xmax has ended, every job below the bound is committed (or gone),
    -- and the floor may rise to the lowest queued id then seen, never past the bound. The ids come from the jobs'
    -- identity sequence, which hands them out one at a time (no per-session cache), so none below the bound is
    -- handed out later.
    pending      bigint,
    pending_xmax xid8,
    -- Jobs put back in the queue; a claim that read the floor before one was put back does not move it.
    requeues     bigint  NOT NULL DEFAULT 0
);
INSERT INTO claim_floor DEFAULT VALUES;

-- A job's id is taken after its transaction has its transaction id: a statement trigger runs before the rows'
-- values (the id among them) are made. So a job whose id is below a claim's bound belongs to a transaction that
-- had its transaction id before the bound was taken.
CREATE FUNCTION jobwright_xid_first() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_current_xact_id();
    RETURN NULL;
END $$;
CREATE TRIGGER jobs_xid_before_ids BEFORE INSERT ON jobs FOR EACH STATEMENT EXECUTE FUNCTION jobwright_xid_first();

-- A job put back in the queue (a claim released, a dead node's claims recovered) lowers the floor to it, whatever
-- statement put it back.
CREATE FUNCTION jobwright_requeued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE claim_floor SET floor = LEAST(floor, NEW.id), requeues = requeues + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER jobs_requeued AFTER UPDATE OF attempt ON jobs FOR EACH ROW
    WHEN (OLD.attempt IS NOT NULL AND NEW.attempt IS NULL AND NEW.status = 'NOT_STARTED')
    EXECUTE FUNCTION jobwright_requeued();

-- The claim that starts its walk at the floor is in Functions/jobwright_claim.sql, applied after the migrations.
