-- Paused targets and operations: claims skip their jobs, which wait with TARGET_PAUSED / OPERATION_PAUSED.
CREATE TABLE pauses (
    kind TEXT    NOT NULL,
    key  TEXT    NOT NULL,
    by   TEXT,
    at   INTEGER NOT NULL,
    note TEXT,
    PRIMARY KEY (kind, key)
);
