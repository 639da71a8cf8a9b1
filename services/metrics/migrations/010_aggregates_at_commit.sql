-- Cheaper aggregate writes for the consumer (bench.flow: every activity event of an area and
-- month moves the same cube and rollup rows, so their row locks serialise the transactions).
--
-- 1. The handlers no longer upsert the cubes themselves: they queue the change as one row of
--    pending_aggregate_changes, and a deferred constraint trigger applies it (and removes the
--    row) when the transaction commits. The shared cube and rollup rows are then locked from
--    the commit's start to its end, not also for the round trips between the handler's
--    upserts and the consumer's COMMIT. The same transaction still writes the facts, the
--    cubes and the rollups; nothing is left pending after a commit.
-- 2. The rollup triggers of 009 do the same arithmetic as static SQL: 009 built each statement
--    with format() and ran it with EXECUTE, so PostgreSQL parsed and planned it anew every
--    time (twice per cube upsert: ON CONFLICT DO UPDATE fires both the INSERT and the UPDATE
--    statement triggers), about 0.3 ms of CPU each. Static statements in PL/pgSQL are
--    prepared once per connection and trigger, and read the transition tables (new_rows,
--    old_rows) by name. The triggers themselves, and what they keep, are unchanged: other
--    writers of the cubes (replays, backfills) keep the rollups equal as before.

CREATE OR REPLACE FUNCTION area_month_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO area_month_totals AS t (area, month, published_events, cancelled_events,
                                            held_events, planned_hours, realised_hours,
                                            participants, visitors)
        SELECT area, month, sum(published_events), sum(cancelled_events), sum(held_events),
               sum(planned_hours), sum(realised_hours), sum(participants), sum(visitors)
        FROM new_rows GROUP BY area, month
        ON CONFLICT (area, month) DO UPDATE
          SET published_events = t.published_events + EXCLUDED.published_events,
              cancelled_events = t.cancelled_events + EXCLUDED.cancelled_events,
              held_events = t.held_events + EXCLUDED.held_events,
              planned_hours = t.planned_hours + EXCLUDED.planned_hours,
              realised_hours = t.realised_hours + EXCLUDED.realised_hours,
              participants = t.participants + EXCLUDED.participants,
              visitors = t.visitors + EXCLUDED.visitors;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO area_month_totals AS t (area, month, published_events, cancelled_events,
                                            held_events, planned_hours, realised_hours,
                                            participants, visitors)
        SELECT area, month, sum(published_events), sum(cancelled_events), sum(held_events),
               sum(planned_hours), sum(realised_hours), sum(participants), sum(visitors)
        FROM (SELECT area, month, published_events, cancelled_events, held_events,
                     planned_hours, realised_hours, participants, visitors FROM new_rows
              UNION ALL
              SELECT area, month, -published_events, -cancelled_events, -held_events,
                     -planned_hours, -realised_hours, -participants, -visitors FROM old_rows
             ) AS d
        GROUP BY area, month
        ON CONFLICT (area, month) DO UPDATE
          SET published_events = t.published_events + EXCLUDED.published_events,
              cancelled_events = t.cancelled_events + EXCLUDED.cancelled_events,
              held_events = t.held_events + EXCLUDED.held_events,
              planned_hours = t.planned_hours + EXCLUDED.planned_hours,
              realised_hours = t.realised_hours + EXCLUDED.realised_hours,
              participants = t.participants + EXCLUDED.participants,
              visitors = t.visitors + EXCLUDED.visitors;
    ELSE
        INSERT INTO area_month_totals AS t (area, month, published_events, cancelled_events,
                                            held_events, planned_hours, realised_hours,
                                            participants, visitors)
        SELECT area, month, -sum(published_events), -sum(cancelled_events),
               -sum(held_events), -sum(planned_hours), -sum(realised_hours),
               -sum(participants), -sum(visitors)
        FROM old_rows GROUP BY area, month
        ON CONFLICT (area, month) DO UPDATE
          SET published_events = t.published_events + EXCLUDED.published_events,
              cancelled_events = t.cancelled_events + EXCLUDED.cancelled_events,
              held_events = t.held_events + EXCLUDED.held_events,
              planned_hours = t.planned_hours + EXCLUDED.planned_hours,
              realised_hours = t.realised_hours + EXCLUDED.realised_hours,
              participants = t.participants + EXCLUDED.participants,
              visitors = t.visitors + EXCLUDED.visitors;
    END IF;
    RETURN NULL;
END $$;

-- Each cube row is one bit: a written row's bit becomes (events > 0), a deleted row's bit is
-- cleared, other bits stay. The row is created first (empty) so that concurrent writers of
-- one organiser's year meet on its row lock and each applies only its own bits. A row whose
-- bits stay as they were is not rewritten (nor, through its trigger, its set's count touched).
CREATE OR REPLACE FUNCTION area_year_organisers_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO area_year_organisers (area, year, organiser_id, months)
        SELECT DISTINCT area, extract(year FROM month)::int, organiser_id, 0 FROM new_rows
        ON CONFLICT DO NOTHING;
        UPDATE area_year_organisers AS y SET months = (y.months & ~k.touched) | k.active
        FROM (SELECT area, extract(year FROM month)::int AS year, organiser_id,
                     bit_or(1 << (extract(month FROM month)::int - 1)) AS touched,
                     coalesce(bit_or(1 << (extract(month FROM month)::int - 1))
                              FILTER (WHERE events > 0), 0) AS active
              FROM new_rows GROUP BY 1, 2, 3) AS k
        WHERE y.area = k.area AND y.year = k.year AND y.organiser_id = k.organiser_id
          AND y.months <> (y.months & ~k.touched) | k.active;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO area_year_organisers (area, year, organiser_id, months)
        SELECT area, extract(year FROM month)::int, organiser_id, 0 FROM new_rows
        UNION SELECT area, extract(year FROM month)::int, organiser_id, 0 FROM old_rows
        ON CONFLICT DO NOTHING;
        UPDATE area_year_organisers AS y SET months = (y.months & ~k.touched) | k.active
        FROM (SELECT area, extract(year FROM month)::int AS year, organiser_id,
                     bit_or(1 << (extract(month FROM month)::int - 1)) AS touched,
                     coalesce(bit_or(1 << (extract(month FROM month)::int - 1))
                              FILTER (WHERE sign > 0 AND events > 0), 0) AS active
              FROM (SELECT 1 AS sign, area, month, organiser_id, events FROM new_rows
                    UNION ALL
                    SELECT -1, area, month, organiser_id, events FROM old_rows) AS c
              GROUP BY 1, 2, 3) AS k
        WHERE y.area = k.area AND y.year = k.year AND y.organiser_id = k.organiser_id
          AND y.months <> (y.months & ~k.touched) | k.active;
    ELSE
        INSERT INTO area_year_organisers (area, year, organiser_id, months)
        SELECT DISTINCT area, extract(year FROM month)::int, organiser_id, 0 FROM old_rows
        ON CONFLICT DO NOTHING;
        UPDATE area_year_organisers AS y SET months = y.months & ~k.touched
        FROM (SELECT area, extract(year FROM month)::int AS year, organiser_id,
                     bit_or(1 << (extract(month FROM month)::int - 1)) AS touched
              FROM old_rows GROUP BY 1, 2, 3) AS k
        WHERE y.area = k.area AND y.year = k.year AND y.organiser_id = k.organiser_id
          AND y.months & k.touched <> 0;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION area_year_organiser_sets_apply() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO area_year_organiser_sets AS s (area, year, months, organisers)
        SELECT area, year, months, count(*) FROM new_rows WHERE months <> 0
        GROUP BY 1, 2, 3
        ON CONFLICT (area, year, months) DO UPDATE
          SET organisers = s.organisers + EXCLUDED.organisers;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO area_year_organiser_sets AS s (area, year, months, organisers)
        SELECT area, year, months, sum(sign)
        FROM (SELECT 1 AS sign, area, year, months FROM new_rows
              UNION ALL
              SELECT -1, area, year, months FROM old_rows) AS c
        WHERE months <> 0
        GROUP BY 1, 2, 3
        HAVING sum(sign) <> 0  -- the same set before and after: its count stays
        ON CONFLICT (area, year, months) DO UPDATE
          SET organisers = s.organisers + EXCLUDED.organisers;
    ELSE
        INSERT INTO area_year_organiser_sets AS s (area, year, months, organisers)
        SELECT area, year, months, -count(*) FROM old_rows WHERE months <> 0
        GROUP BY 1, 2, 3
        ON CONFLICT (area, year, months) DO UPDATE
          SET organisers = s.organisers + EXCLUDED.organisers;
    END IF;
    RETURN NULL;
END $$;

-- 1. Aggregate changes applied at commit. A row lives only inside its transaction, so the
--    table is unlogged (no WAL for it) and always empty between transactions.
CREATE UNLOGGED TABLE pending_aggregate_changes (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- {"activity": [{area, month, kind, venue, published_events, ...}], "topic_activity":
    --  [...], "organisers": [...], "topics": [...], "audiences": [...]}: rows to add to the
    -- cubes of those names (a missing name: nothing for that cube).
    changes jsonb NOT NULL
);

CREATE FUNCTION apply_pending_aggregate_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.changes ? 'activity' THEN
        INSERT INTO area_month_activity AS a (area, month, kind, venue, published_events,
                                              cancelled_events, held_events, planned_hours,
                                              realised_hours, participants, visitors)
        SELECT * FROM jsonb_to_recordset(NEW.changes -> 'activity') AS r (
            area text, month date, kind text, venue text, published_events integer,
            cancelled_events integer, held_events integer, planned_hours numeric,
            realised_hours numeric, participants bigint, visitors bigint)
        ON CONFLICT (area, month, kind, venue) DO UPDATE
          SET published_events = a.published_events + EXCLUDED.published_events,
              cancelled_events = a.cancelled_events + EXCLUDED.cancelled_events,
              held_events = a.held_events + EXCLUDED.held_events,
              planned_hours = a.planned_hours + EXCLUDED.planned_hours,
              realised_hours = a.realised_hours + EXCLUDED.realised_hours,
              participants = a.participants + EXCLUDED.participants,
              visitors = a.visitors + EXCLUDED.visitors;
    END IF;
    IF NEW.changes ? 'topic_activity' THEN
        INSERT INTO area_month_topic_activity AS a (area, month, topic, published_events,
                                                    cancelled_events, held_events,
                                                    planned_hours, realised_hours,
                                                    participants, visitors)
        SELECT * FROM jsonb_to_recordset(NEW.changes -> 'topic_activity') AS r (
            area text, month date, topic text, published_events integer,
            cancelled_events integer, held_events integer, planned_hours numeric,
            realised_hours numeric, participants bigint, visitors bigint)
        ON CONFLICT (area, month, topic) DO UPDATE
          SET published_events = a.published_events + EXCLUDED.published_events,
              cancelled_events = a.cancelled_events + EXCLUDED.cancelled_events,
              held_events = a.held_events + EXCLUDED.held_events,
              planned_hours = a.planned_hours + EXCLUDED.planned_hours,
              realised_hours = a.realised_hours + EXCLUDED.realised_hours,
              participants = a.participants + EXCLUDED.participants,
              visitors = a.visitors + EXCLUDED.visitors;
    END IF;
    IF NEW.changes ? 'organisers' THEN
        INSERT INTO area_month_organisers AS o (area, month, organiser_id, events)
        SELECT * FROM jsonb_to_recordset(NEW.changes -> 'organisers') AS r (
            area text, month date, organiser_id uuid, events integer)
        ON CONFLICT (area, month, organiser_id) DO UPDATE SET events = o.events + EXCLUDED.events;
    END IF;
    IF NEW.changes ? 'topics' THEN
        INSERT INTO area_month_topics AS t (area, month, topic, events)
        SELECT * FROM jsonb_to_recordset(NEW.changes -> 'topics') AS r (
            area text, month date, topic text, events integer)
        ON CONFLICT (area, month, topic) DO UPDATE SET events = t.events + EXCLUDED.events;
    END IF;
    IF NEW.changes ? 'audiences' THEN
        INSERT INTO area_month_audiences AS t (area, month, audience, events)
        SELECT * FROM jsonb_to_recordset(NEW.changes -> 'audiences') AS r (
            area text, month date, audience text, events integer)
        ON CONFLICT (area, month, audience) DO UPDATE SET events = t.events + EXCLUDED.events;
    END IF;
    DELETE FROM pending_aggregate_changes WHERE id = NEW.id;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER pending_aggregate_changes_apply
    AFTER INSERT ON pending_aggregate_changes
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION apply_pending_aggregate_changes();
