-- How an ended job was resolved (rerun as another job, or by hand), and the job a rerun copies.
ALTER TABLE jobs ADD COLUMN rerun_of INTEGER;
ALTER TABLE jobs ADD COLUMN resolution TEXT;
