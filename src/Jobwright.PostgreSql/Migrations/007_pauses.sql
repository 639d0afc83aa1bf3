-- Paused targets and operations: claims skip their jobs, which wait with TARGET_PAUSED / OPERATION_PAUSED.
-- The pause holds across the cluster: every node's claim reads it.
CREATE TABLE pauses (
    kind text   NOT NULL,
    key  text   NOT NULL,
    by   text,
    at   bigint NOT NULL,
    note text,
    PRIMARY KEY (kind, key)
);

-- The claim skips the jobs of paused targets and operations: Functions/jobwright_claim.sql, applied after the migrations.
