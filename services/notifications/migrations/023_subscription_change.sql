-- A follower told of a new activity (`subscription_new`) is told when it is cancelled,
-- moved, postponed or back on: the mail of purpose `subscription_change`.
--
-- Purposes are added to whatever the constraint allows when a migration runs (read from the
-- catalogue, as migration 015 did by hand), so one of another branch that adds purposes of
-- its own is kept: `add_delivery_purposes`, for this migration and those after it.
CREATE FUNCTION add_delivery_purposes(VARIADIC purposes text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    allowed text;
    added text := '';
    purpose text;
BEGIN
    SELECT pg_get_constraintdef(oid) INTO allowed FROM pg_constraint
     WHERE conrelid = 'deliveries'::regclass AND conname = 'deliveries_purpose_check';
    IF position('ARRAY[' IN allowed) = 0 THEN
        RAISE EXCEPTION 'deliveries_purpose_check has an unexpected form: %', allowed;
    END IF;
    FOREACH purpose IN ARRAY purposes LOOP
        added := added || quote_literal(purpose) || '::text, ';
    END LOOP;
    EXECUTE 'ALTER TABLE deliveries DROP CONSTRAINT deliveries_purpose_check';
    EXECUTE 'ALTER TABLE deliveries ADD CONSTRAINT deliveries_purpose_check '
        || replace(allowed, 'ARRAY[', 'ARRAY[' || added);
END $$;

SELECT add_delivery_purposes('subscription_change');
