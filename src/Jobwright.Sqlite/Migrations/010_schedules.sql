-- Recurring jobs. A fire moves a schedule on (last_due, next_run, version) and stores its runs in one
-- transaction; jobs name the schedule that made them.
CREATE TABLE schedules (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL UNIQUE,
    operation   TEXT    NOT NULL,
    op_group    TEXT    NOT NULL,
    target      TEXT,
    parameters  TEXT    NOT NULL,
    cron        TEXT,
    interval_ms INTEGER,
    time_zone   TEXT    NOT NULL,
    start_at    INTEGER NOT NULL,
    end_at      INTEGER,
    misfire     TEXT    NOT NULL,
    catch_up_ms INTEGER NOT NULL,
    overlap     TEXT    NOT NULL,
    paused      INTEGER NOT NULL,
    next_run    INTEGER,
    last_due    INTEGER NOT NULL,
    last_job_id INTEGER,
    created_by  TEXT,
    created_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL
);
CREATE INDEX schedules_due ON schedules (next_run) WHERE paused = 0 AND next_run IS NOT NULL;
ALTER TABLE jobs ADD COLUMN schedule_id INTEGER;
CREATE INDEX jobs_schedule ON jobs (schedule_id) WHERE schedule_id IS NOT NULL;
