-- A whole-day activity (event.* all_day): counted as activity days of ACTIVITY_DAY_HOURS, not
-- as 24 hours a day. Facts written before this knew no better: false, as they were counted.
ALTER TABLE activity_event_facts ADD COLUMN all_day boolean NOT NULL DEFAULT false;
