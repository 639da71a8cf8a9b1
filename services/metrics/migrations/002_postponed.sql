-- A postponed activity counts for nothing until it is rescheduled (then it counts in the
-- month of its new time).
ALTER TABLE activity_event_facts DROP CONSTRAINT activity_event_facts_status_check;
ALTER TABLE activity_event_facts ADD CONSTRAINT activity_event_facts_status_check
    CHECK (status IN ('published', 'postponed', 'cancelled'));
