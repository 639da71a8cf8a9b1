-- Organisers' emails (issues #15 and #16): a moved booking, a booking released when nobody
-- checked in, and the prompt to report an activity's attendance once it is over.
--
-- The purposes are added to whatever the constraint allows when this runs (read from the
-- catalogue), so a migration of another branch that adds purposes of its own is kept.
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
        || replace(allowed, 'ARRAY[', 'ARRAY[''booking_moved''::text, '
                   || '''booking_no_show''::text, ''attendance_prompt''::text, ');
END $$;

-- A mail that gives a door code (a confirmation or a move in self-service hours) is marked
-- `secret` in its content: once it is sent or given up, the delivery keeps its subject and
-- forgets the text and calendar entry that held the code, as it forgets the address.
CREATE FUNCTION erase_secret_email() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IN ('published', 'failed', 'cancelled') THEN
        NEW.content := jsonb_build_object('subject', NEW.content -> 'subject',
                                          'language', NEW.content -> 'language',
                                          'text', '');
        NEW.recipient := NULL;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER deliveries_erase_secret_email
    BEFORE UPDATE ON deliveries FOR EACH ROW
    WHEN (NEW.channel = 'email' AND (NEW.content ->> 'secret') = 'true')
    EXECUTE FUNCTION erase_secret_email();

-- The activities held in a booking, found when the booking ends (attendance prompts).
CREATE INDEX activity_events_booking ON activity_events ((facts ->> 'booking_id'));

-- An activity whose attendance its organiser reported already (`attendance.reported`) is not
-- asked about again.
ALTER TABLE activity_events ADD COLUMN attendance_reported_at timestamptz;
