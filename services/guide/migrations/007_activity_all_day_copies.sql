-- Whole-day activities copied before migration 006 kept `all_day` false, and were said by
-- their clock ("pe 11.12. 0.00–23.59") until the events' next revision or a replay of the
-- topic. The events service writes a whole-day activity from midnight to midnight in
-- Helsinki (`all_day` of `event.*`), or to 23.59: a copy starting at midnight there and
-- ending at midnight or from 23.59 on, on its first day or later, is one and is marked so.
-- Nothing else is (an all-day activity given other clock times cannot be told from a timed
-- one: it waits for its next revision, which sets the flag as the event says, or a replay).
-- A timed copy from midnight to midnight is marked too: it runs the whole day, as said.
UPDATE activities SET all_day = true
 WHERE NOT all_day
   AND (starts_at AT TIME ZONE 'Europe/Helsinki')::time = time '00:00'
   AND ((ends_at AT TIME ZONE 'Europe/Helsinki')::time = time '00:00'
        OR (ends_at AT TIME ZONE 'Europe/Helsinki')::time >= time '23:59')
   AND ends_at > starts_at;
