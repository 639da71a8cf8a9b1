-- A whole-day activity (the event's `all_day`): the guide says it by its dates, "koko
-- päivä", as the calendar, the event page and the posts do, never as "0.00–23.59". False
-- for copies from before; the events' next revision, or a replay of the topic, sets it.
ALTER TABLE activities ADD COLUMN all_day boolean NOT NULL DEFAULT false;
