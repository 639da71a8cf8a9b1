-- Issue #15: an organiser's calendar entry of a booking is replaced, not duplicated, when the
-- booking changes (a move, a cancellation): every booking event carries the booking's
-- revision, the entry's iCalendar SEQUENCE. It increases with every change an organiser can
-- see (status, time, space, title, hours, door code, contact), whichever statement makes it:
-- the trigger keeps it, so no way of changing a booking can forget it. A booking made before
-- starts above every SEQUENCE its mails had (0 for a confirmation, 1 for a cancellation).
ALTER TABLE bookings ADD COLUMN revision integer NOT NULL DEFAULT 1;
UPDATE bookings b
   SET revision = 2 + (SELECT count(*) FROM booking_history h WHERE h.booking_id = b.id);

CREATE FUNCTION bump_booking_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.revision := OLD.revision + 1;
    RETURN NEW;
END $$;

CREATE TRIGGER bookings_bump_revision
    BEFORE UPDATE ON bookings FOR EACH ROW
    WHEN ((OLD.status, OLD.during, OLD.space_id, OLD.title, OLD.hours_kind, OLD.access_code,
           OLD.contact_email, OLD.contact_language)
          IS DISTINCT FROM
          (NEW.status, NEW.during, NEW.space_id, NEW.title, NEW.hours_kind, NEW.access_code,
           NEW.contact_email, NEW.contact_language))
    EXECUTE FUNCTION bump_booking_revision();

-- Issue #16: once a confirmed booking's time is over, `booking.ended` is published once, so
-- its organiser is asked to report attendance. A row here says it was; bookings that ended
-- before this migration are past asking.
CREATE TABLE booking_endings (
    booking_id   uuid PRIMARY KEY REFERENCES bookings (id) ON DELETE CASCADE,
    announced_at timestamptz NOT NULL
);
INSERT INTO booking_endings (booking_id, announced_at)
SELECT id, now() FROM bookings WHERE upper(during) <= now();
CREATE INDEX bookings_confirmed_end ON bookings (upper(during)) WHERE status = 'confirmed';
