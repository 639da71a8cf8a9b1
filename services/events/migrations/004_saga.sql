-- The saga with the booking service (ADR 0003): an activity follows its booking (withdrawn,
-- cancelled, moved), its reschedule waits for the booking to move, publication at a venue
-- needs a confirmed booking there or staff approval, and attendance beyond the plausible is
-- held for staff.

ALTER TABLE activity_events DROP CONSTRAINT activity_events_status_check;
ALTER TABLE activity_events
    ADD CONSTRAINT activity_events_status_check CHECK (status IN
        ('draft', 'awaiting_approval', 'published', 'postponed', 'rescheduled', 'cancelled',
         'withdrawn')),
    -- A reschedule the booking service has been asked for and not yet answered:
    -- {"request_id": ..., "starts_at": ..., "ends_at": ..., "requested_by": ...}.
    ADD COLUMN pending_move jsonb,
    -- Published when its organiser had nothing published before (set once, at publication):
    -- notifications reach with it only the channels a new organiser's setting names.
    ADD COLUMN new_organiser boolean NOT NULL DEFAULT false;
CREATE INDEX activity_events_queue ON activity_events (area, starts_at)
    WHERE status = 'awaiting_approval';
-- Whether an organiser had anything public before (a new organiser's reach).
CREATE INDEX activity_events_owner_public ON activity_events (owner_subject)
    WHERE status IN ('published', 'postponed', 'rescheduled', 'cancelled');
CREATE INDEX activity_events_organiser_public ON activity_events (organiser_id)
    WHERE status IN ('published', 'postponed', 'rescheduled', 'cancelled');

-- What this service knows of the bookings (booking.v1): a read model that may be ahead of
-- the activity (a cancellation arriving before the confirmation) and that publication rights
-- are checked against. A closed booking stays closed.
CREATE TABLE bookings (
    booking_id  uuid PRIMARY KEY,
    venue_id    uuid NOT NULL,
    space_id    uuid NOT NULL,
    status      text NOT NULL CHECK (status IN ('confirmed', 'cancelled', 'rejected', 'no_show')),
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    reason      text,
    actor       text,
    updated_at  timestamptz NOT NULL
);

-- Activities made from bookings before this migration: their bookings were confirmed (the
-- draft came from booking.confirmed); cancelled activities' bookings are not known.
INSERT INTO bookings (booking_id, venue_id, space_id, status, starts_at, ends_at, actor,
                      updated_at)
SELECT booking_id, venue_id, space_id, 'confirmed', starts_at, ends_at, 'booking:confirmed',
       updated_at
FROM activity_events
WHERE booking_id IS NOT NULL AND venue_id IS NOT NULL AND space_id IS NOT NULL
  AND status <> 'cancelled';

ALTER TABLE attendance_reports
    -- Above the plausible (a multiple of the space's capacity): kept out of the indicators
    -- until staff confirm it.
    ADD COLUMN held          boolean NOT NULL DEFAULT false,
    ADD COLUMN confirmed_by  text;
