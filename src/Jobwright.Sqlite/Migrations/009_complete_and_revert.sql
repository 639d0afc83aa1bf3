-- The job whose unfinished tasks a job runs (a complete), and the job whose OK tasks it undoes (a revert).
ALTER TABLE jobs ADD COLUMN resumes INTEGER;
ALTER TABLE jobs ADD COLUMN reverts INTEGER;
