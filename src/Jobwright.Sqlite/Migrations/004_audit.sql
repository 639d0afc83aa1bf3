-- The audit trail (SPEC §7): who did what, from where, when, and how it ended.
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    time      INTEGER NOT NULL,
    actor     TEXT    NOT NULL,
    source    TEXT,
    action    TEXT    NOT NULL,
    subject   TEXT,
    outcome   TEXT    NOT NULL,
    detail    TEXT
);
CREATE INDEX audit_time ON audit (time);
