-- How an ended job was resolved (rerun as another job, or by hand), and the job a rerun copies. Setting a
-- resolution on an ended job is allowed: the guard of ended jobs covers their outcome, not this.
ALTER TABLE jobs ADD COLUMN rerun_of bigint;
ALTER TABLE jobs ADD COLUMN resolution text;
