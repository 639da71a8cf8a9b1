-- How many places an activity has and how many are taken, as the notifications service's
-- sign-up tells it (`fi.kohtaamo.registration.counts.v1`): its settings may change the places
-- (`capacity`), so the event page, the API and the calendar read them here rather than the
-- activity's own figure. Counts only, never who. The newest `sequence` wins: a count heard
-- late or twice leaves a newer one as it is. No reference to activity_events: the counts of an
-- activity stay whatever order their records and the activity's own come in.
CREATE TABLE registration_counts (
    activity_event_id uuid PRIMARY KEY,
    sequence          bigint NOT NULL,
    capacity          integer CHECK (capacity IS NULL OR capacity >= 0),
    confirmed_seats   integer NOT NULL CHECK (confirmed_seats >= 0),
    waiting_seats     integer NOT NULL CHECK (waiting_seats >= 0),
    updated_at        timestamptz NOT NULL
);

-- A public activity's page and lists show the places: their kept answers (migration 007) are
-- forgotten when its counts change. A draft's counts (nobody signs up to one) stay quiet, as
-- drafts do.
CREATE FUNCTION registration_counts_public_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM activity_events
               WHERE id = NEW.activity_event_id
                 AND status IN ('published', 'postponed', 'rescheduled', 'cancelled')) THEN
        PERFORM pg_notify('kohtaamo_events_public_changes', '');
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER registration_counts_public AFTER INSERT OR UPDATE ON registration_counts
    FOR EACH ROW EXECUTE FUNCTION registration_counts_public_changed();
