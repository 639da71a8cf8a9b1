-- One exception a day for a venue (or one of its spaces): the desk's latest word about a
-- day is the day's rule. Adding a day again used to add a second row beside the first, and
-- any row without times closed the day, so a closure could never be opened again. Keep one
-- row a day as residents were told it: a closure where the day had one (it closed the day,
-- and the other services' copies, told nothing by a migration, still close it), else the
-- latest row (the highest id); then let the database refuse a second one; the store
-- replaces the day's row instead (INSERT ... ON CONFLICT).
DELETE FROM opening_exceptions e
 USING opening_exceptions kept
 WHERE kept.venue_id = e.venue_id
   AND kept.space_id IS NOT DISTINCT FROM e.space_id
   AND kept.day = e.day
   AND kept.id <> e.id
   AND ((kept.opens IS NULL) > (e.opens IS NULL)
        OR ((kept.opens IS NULL) = (e.opens IS NULL) AND kept.id > e.id));

CREATE UNIQUE INDEX opening_exceptions_one_a_day
    ON opening_exceptions (venue_id, space_id, day) NULLS NOT DISTINCT;
