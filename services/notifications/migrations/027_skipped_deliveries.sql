-- A post the channel cannot carry (Instagram and no image) is `skipped`: recorded with why,
-- never sent, and nothing for a person to decide (it was `failed`, and every activity without
-- an image asked the communications staff a decision). An image added later plans the post
-- anew with the activity's newer revision.
--
-- The status is added to whatever the constraint allows when this runs (read from the
-- catalogue), as 015 adds purposes, so a migration of another branch that adds statuses of
-- its own is kept.
DO $$
DECLARE
    allowed text;
BEGIN
    SELECT pg_get_constraintdef(oid) INTO allowed FROM pg_constraint
     WHERE conrelid = 'deliveries'::regclass AND conname = 'deliveries_status_check';
    IF position('ARRAY[' IN allowed) = 0 THEN
        RAISE EXCEPTION 'deliveries_status_check has an unexpected form: %', allowed;
    END IF;
    EXECUTE 'ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check';
    EXECUTE 'ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check '
        || replace(allowed, 'ARRAY[', 'ARRAY[''skipped''::text, ');
END $$;

-- Those recorded as failed before: nothing was rendered (no content) because Instagram needs
-- an image. They leave the staff's list of decisions.
UPDATE deliveries SET status = 'skipped', error_class = 'cannot_carry', updated_at = now()
 WHERE status = 'failed' AND content IS NULL AND channel = 'instagram'
   AND error_class = 'permanent' AND last_error LIKE '%needs an image%';

-- The staff page lists the skipped posts of activities still to come.
CREATE INDEX deliveries_skipped ON deliveries (activity_event_id) WHERE status = 'skipped';
