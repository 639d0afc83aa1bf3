-- The audit trail (SPEC §7): who did what, from where, when, and how it ended.
CREATE TABLE audit (
    id        bigserial PRIMARY KEY,
    time      bigint    NOT NULL,
    actor     text      NOT NULL,
    source    text,
    action    text      NOT NULL,
    subject   text,
    outcome   text      NOT NULL,
    detail    text
);
CREATE INDEX audit_time ON audit (time);
