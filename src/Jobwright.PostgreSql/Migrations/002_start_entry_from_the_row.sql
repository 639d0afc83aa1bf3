-- A job's start is no longer kept as a history row: its entry is derived from the job's
-- time_started and node, which say the same (one row less to write for every job).
DELETE FROM job_transitions WHERE to_status = 'RUNNING';
