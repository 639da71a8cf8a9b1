-- Replicas keep their rendered public answers (shared/readcache.py) until PostgreSQL tells
-- them, on this channel, that something residents can see has changed. A NOTIFY is delivered
-- only when its transaction commits, so no replica forgets too early.
--
-- Only changes residents can see notify: a transaction that has run NOTIFY commits under one
-- database-wide lock (see shared/migrations/002), and drafts made from bookings are the
-- consumer's steady work, so a draft, a queued or a withdrawn activity stays quiet.
CREATE FUNCTION public_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('kohtaamo_events_public_changes', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER activity_events_public_insert AFTER INSERT ON activity_events FOR EACH ROW
    WHEN (NEW.status IN ('published', 'postponed', 'rescheduled', 'cancelled'))
    EXECUTE FUNCTION public_changed();

CREATE TRIGGER activity_events_public_update AFTER UPDATE ON activity_events FOR EACH ROW
    WHEN (OLD.status IN ('published', 'postponed', 'rescheduled', 'cancelled')
          OR NEW.status IN ('published', 'postponed', 'rescheduled', 'cancelled'))
    EXECUTE FUNCTION public_changed();

CREATE TRIGGER activity_events_public_delete AFTER DELETE ON activity_events FOR EACH ROW
    WHEN (OLD.status IN ('published', 'postponed', 'rescheduled', 'cancelled'))
    EXECUTE FUNCTION public_changed();

-- A venue's name or area shows on every page of its activities.
CREATE TRIGGER venues_public AFTER INSERT OR UPDATE OR DELETE ON venues
    FOR EACH STATEMENT EXECUTE FUNCTION public_changed();
