-- The claim leaves out of its later pages the jobs of a target and operation it found waiting for that busy
-- target: a change of the claim alone, in Functions/jobwright_claim.sql (applied after the migrations). Nothing
-- of the schema changes.
SELECT 1;
