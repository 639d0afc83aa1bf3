-- The W3C traceparent of the span that submitted a job: its claim and run continue that trace.
ALTER TABLE jobs ADD COLUMN trace_parent TEXT;
