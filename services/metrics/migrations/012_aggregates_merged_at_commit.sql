-- A transaction's aggregate changes applied together at commit (issue #20, session 12).
--
-- The consumer may apply several records in one transaction (shared/consumer.py,
-- records_per_transaction). Each record queues one row of pending_aggregate_changes, and
-- migration 010's deferred trigger applied them one at a time: every cube's upsert, and the
-- rollup triggers each upsert fires, ran once per record. Now the first of a transaction's
-- pending rows to fire takes all of them, and each cube that any of them changes gets one
-- upsert, summed per cube row and written in key order (two commits lock the cube rows they
-- share in the same order, so one waits for the other instead of both deadlocking); the
-- later rows find nothing left to apply. One record a transaction gives the same
-- statements as before, and the cubes and rollups the same numbers whatever the grouping:
-- they are sums.
--
-- The reach per channel (deliveries) and the booked hours per space and month, written
-- by the handlers themselves until now, are queued the same way: every row that many
-- events share is written at commit, in key order.
--
-- A transaction finds its own rows by its transaction id, through an index: the table is
-- only ever empty between transactions to the eye, and a scan of it walks the rows other
-- transactions have deleted but vacuum has not yet removed (thousands after a burst).

ALTER TABLE pending_aggregate_changes
    ADD COLUMN tx xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX pending_aggregate_changes_tx ON pending_aggregate_changes (tx);

CREATE OR REPLACE FUNCTION apply_pending_aggregate_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    activity jsonb;
    topic_activity jsonb;
    organisers jsonb;
    topics jsonb;
    audiences jsonb;
    reach jsonb;
    booked jsonb;
BEGIN
    PERFORM FROM pending_aggregate_changes WHERE id = NEW.id;
    IF NOT FOUND THEN
        RETURN NULL;  -- applied together with an earlier row of this transaction
    END IF;
    -- Every row of every pending change, per cube (NULL: no change to that cube).
    WITH taken AS (DELETE FROM pending_aggregate_changes WHERE tx = pg_current_xact_id()
                   RETURNING changes)
    SELECT jsonb_agg(r) FILTER (WHERE c.cube = 'activity'),
           jsonb_agg(r) FILTER (WHERE c.cube = 'topic_activity'),
           jsonb_agg(r) FILTER (WHERE c.cube = 'organisers'),
           jsonb_agg(r) FILTER (WHERE c.cube = 'topics'),
           jsonb_agg(r) FILTER (WHERE c.cube = 'audiences'),
           jsonb_agg(r) FILTER (WHERE c.cube = 'reach'),
           jsonb_agg(r) FILTER (WHERE c.cube = 'booked')
    INTO activity, topic_activity, organisers, topics, audiences, reach, booked
    FROM taken, jsonb_each(taken.changes) AS c (cube, cube_rows),
         jsonb_array_elements(c.cube_rows) AS r;
    IF activity IS NOT NULL THEN
        INSERT INTO area_month_activity AS a (area, month, kind, venue, published_events,
                                              cancelled_events, held_events, planned_hours,
                                              realised_hours, participants, visitors)
        SELECT r.area, r.month, r.kind, r.venue, sum(r.published_events),
               sum(r.cancelled_events), sum(r.held_events), sum(r.planned_hours),
               sum(r.realised_hours), sum(r.participants), sum(r.visitors)
        FROM jsonb_to_recordset(activity) AS r (
            area text, month date, kind text, venue text, published_events integer,
            cancelled_events integer, held_events integer, planned_hours numeric,
            realised_hours numeric, participants bigint, visitors bigint)
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (area, month, kind, venue) DO UPDATE
          SET published_events = a.published_events + EXCLUDED.published_events,
              cancelled_events = a.cancelled_events + EXCLUDED.cancelled_events,
              held_events = a.held_events + EXCLUDED.held_events,
              planned_hours = a.planned_hours + EXCLUDED.planned_hours,
              realised_hours = a.realised_hours + EXCLUDED.realised_hours,
              participants = a.participants + EXCLUDED.participants,
              visitors = a.visitors + EXCLUDED.visitors;
    END IF;
    IF topic_activity IS NOT NULL THEN
        INSERT INTO area_month_topic_activity AS a (area, month, topic, published_events,
                                                    cancelled_events, held_events,
                                                    planned_hours, realised_hours,
                                                    participants, visitors)
        SELECT r.area, r.month, r.topic, sum(r.published_events), sum(r.cancelled_events),
               sum(r.held_events), sum(r.planned_hours), sum(r.realised_hours),
               sum(r.participants), sum(r.visitors)
        FROM jsonb_to_recordset(topic_activity) AS r (
            area text, month date, topic text, published_events integer,
            cancelled_events integer, held_events integer, planned_hours numeric,
            realised_hours numeric, participants bigint, visitors bigint)
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (area, month, topic) DO UPDATE
          SET published_events = a.published_events + EXCLUDED.published_events,
              cancelled_events = a.cancelled_events + EXCLUDED.cancelled_events,
              held_events = a.held_events + EXCLUDED.held_events,
              planned_hours = a.planned_hours + EXCLUDED.planned_hours,
              realised_hours = a.realised_hours + EXCLUDED.realised_hours,
              participants = a.participants + EXCLUDED.participants,
              visitors = a.visitors + EXCLUDED.visitors;
    END IF;
    IF organisers IS NOT NULL THEN
        INSERT INTO area_month_organisers AS o (area, month, organiser_id, events)
        SELECT r.area, r.month, r.organiser_id, sum(r.events)
        FROM jsonb_to_recordset(organisers) AS r (area text, month date, organiser_id uuid,
                                                  events integer)
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (area, month, organiser_id) DO UPDATE SET events = o.events + EXCLUDED.events;
    END IF;
    IF topics IS NOT NULL THEN
        INSERT INTO area_month_topics AS t (area, month, topic, events)
        SELECT r.area, r.month, r.topic, sum(r.events)
        FROM jsonb_to_recordset(topics) AS r (area text, month date, topic text,
                                              events integer)
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (area, month, topic) DO UPDATE SET events = t.events + EXCLUDED.events;
    END IF;
    IF audiences IS NOT NULL THEN
        INSERT INTO area_month_audiences AS t (area, month, audience, events)
        SELECT r.area, r.month, r.audience, sum(r.events)
        FROM jsonb_to_recordset(audiences) AS r (area text, month date, audience text,
                                                 events integer)
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (area, month, audience) DO UPDATE SET events = t.events + EXCLUDED.events;
    END IF;
    IF reach IS NOT NULL THEN
        INSERT INTO area_month_reach AS t (area, month, channel, deliveries)
        SELECT r.area, r.month, r.channel, sum(r.deliveries)
        FROM jsonb_to_recordset(reach) AS r (area text, month date, channel text,
                                             deliveries integer)
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (area, month, channel)
          DO UPDATE SET deliveries = t.deliveries + EXCLUDED.deliveries;
    END IF;
    IF booked IS NOT NULL THEN
        INSERT INTO space_month_booked AS b (space_id, month, venue_id, booked_hours, bookings)
        SELECT r.space_id, r.month, min(r.venue_id::text)::uuid, sum(r.booked_hours),
               sum(r.bookings)
        FROM jsonb_to_recordset(booked) AS r (space_id uuid, month date, venue_id uuid,
                                              booked_hours numeric, bookings integer)
        GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (space_id, month) DO UPDATE
          SET booked_hours = b.booked_hours + EXCLUDED.booked_hours,
              bookings = b.bookings + EXCLUDED.bookings;
    END IF;
    RETURN NULL;
END $$;
