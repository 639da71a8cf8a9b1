-- A follower told of a new activity (`subscription_new`) is told when it is cancelled,
-- moved, postponed or back on: the mail of purpose `subscription_change`.
--
-- Added to whatever the constraint allows when this runs (read from the catalogue), as
-- migration 015 adds its purposes.
DO $$
DECLARE
    allowed text;
BEGIN
    SELECT pg_get_constraintdef(oid) INTO allowed FROM pg_constraint
     WHERE conrelid = 'deliveries'::regclass AND conname = 'deliveries_purpose_check';
    IF position('ARRAY[' IN allowed) = 0 THEN
        RAISE EXCEPTION 'deliveries_purpose_check has an unexpected form: %', allowed;
    END IF;
    EXECUTE 'ALTER TABLE deliveries DROP CONSTRAINT deliveries_purpose_check';
    EXECUTE 'ALTER TABLE deliveries ADD CONSTRAINT deliveries_purpose_check '
        || replace(allowed, 'ARRAY[', 'ARRAY[''subscription_change''::text, ');
END $$;
