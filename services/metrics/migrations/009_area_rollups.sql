-- Per-area rollups of the cubes, for the questions asked most (the whole city over whole
-- months, no kind or venue filter): the summary no longer groups the kind × venue cube or
-- counts distinct organisers over every (area, month, organiser) row.
--
-- Both are kept equal to their cube by statement triggers with transition tables, so they
-- change in the same transaction as the facts and the cubes, whoever writes them (handlers,
-- replays, backfills), and replaying the log gives identical numbers.

-- area_month_activity summed over kind and venue.
CREATE TABLE area_month_totals (
    area             text NOT NULL,
    month            date NOT NULL,
    published_events integer NOT NULL DEFAULT 0,
    cancelled_events integer NOT NULL DEFAULT 0,
    held_events      integer NOT NULL DEFAULT 0,
    planned_hours    numeric(14, 2) NOT NULL DEFAULT 0,
    realised_hours   numeric(14, 2) NOT NULL DEFAULT 0,
    participants     bigint NOT NULL DEFAULT 0,
    visitors         bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (area, month)
);

-- An organiser's active months (events > 0 in area_month_organisers) in an area and year as
-- a bit set (bit 0 = January): distinct organisers over any range of months are the rows
-- whose bits meet the range's, one row per organiser, area and year instead of twelve.
CREATE TABLE area_year_organisers (
    area         text NOT NULL,
    year         integer NOT NULL,
    organiser_id uuid NOT NULL,
    months       integer NOT NULL CHECK (months BETWEEN 0 AND 4095),
    PRIMARY KEY (area, year, organiser_id)
);

INSERT INTO area_month_totals (area, month, published_events, cancelled_events, held_events,
                               planned_hours, realised_hours, participants, visitors)
SELECT area, month, sum(published_events), sum(cancelled_events), sum(held_events),
       sum(planned_hours), sum(realised_hours), sum(participants), sum(visitors)
FROM area_month_activity GROUP BY area, month;

INSERT INTO area_year_organisers (area, year, organiser_id, months)
SELECT area, extract(year FROM month)::int, organiser_id,
       bit_or(1 << (extract(month FROM month)::int - 1))
FROM area_month_organisers WHERE events > 0 GROUP BY 1, 2, 3;

-- The rows a statement on a cube wrote (new, or old when deleted), for the triggers below.
CREATE FUNCTION rollup_changes(op text, columns text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE op
        WHEN 'INSERT' THEN format('SELECT 1 AS sign, %s FROM new_rows', columns)
        WHEN 'DELETE' THEN format('SELECT -1 AS sign, %s FROM old_rows', columns)
        ELSE format('SELECT 1 AS sign, %1$s FROM new_rows UNION ALL'
                    ' SELECT -1 AS sign, %1$s FROM old_rows', columns)
    END
$$;

-- Totals move by what the statement added minus what it took away, per (area, month).
CREATE FUNCTION area_month_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($sql$
        INSERT INTO area_month_totals AS t (area, month, published_events, cancelled_events,
                                            held_events, planned_hours, realised_hours,
                                            participants, visitors)
        SELECT area, month, sum(sign * published_events), sum(sign * cancelled_events),
               sum(sign * held_events), sum(sign * planned_hours),
               sum(sign * realised_hours), sum(sign * participants), sum(sign * visitors)
        FROM (%s) AS d GROUP BY area, month
        ON CONFLICT (area, month) DO UPDATE
          SET published_events = t.published_events + EXCLUDED.published_events,
              cancelled_events = t.cancelled_events + EXCLUDED.cancelled_events,
              held_events = t.held_events + EXCLUDED.held_events,
              planned_hours = t.planned_hours + EXCLUDED.planned_hours,
              realised_hours = t.realised_hours + EXCLUDED.realised_hours,
              participants = t.participants + EXCLUDED.participants,
              visitors = t.visitors + EXCLUDED.visitors$sql$,
        rollup_changes(TG_OP, 'area, month, published_events, cancelled_events, held_events,'
                              ' planned_hours, realised_hours, participants, visitors'));
    RETURN NULL;
END $$;

CREATE TRIGGER area_month_totals_insert AFTER INSERT ON area_month_activity
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION area_month_totals_apply();
CREATE TRIGGER area_month_totals_update AFTER UPDATE ON area_month_activity
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION area_month_totals_apply();
CREATE TRIGGER area_month_totals_delete AFTER DELETE ON area_month_activity
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION area_month_totals_apply();

-- Each cube row is one bit: a written row's bit becomes (events > 0), a deleted row's bit is
-- cleared, other bits stay. The row is created first (empty) so that concurrent writers of
-- one organiser's year meet on its row lock and each applies only its own bits.
CREATE FUNCTION area_year_organisers_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changes text := format(
        $sql$SELECT area, extract(year FROM month)::int AS year, organiser_id,
                    bit_or(1 << (extract(month FROM month)::int - 1)) AS touched,
                    coalesce(bit_or(1 << (extract(month FROM month)::int - 1))
                             FILTER (WHERE sign > 0 AND events > 0), 0) AS active
             FROM (%s) AS c GROUP BY 1, 2, 3$sql$,
        rollup_changes(TG_OP, 'area, month, organiser_id, events'));
BEGIN
    EXECUTE format($sql$
        INSERT INTO area_year_organisers (area, year, organiser_id, months)
        SELECT area, year, organiser_id, 0 FROM (%s) AS k
        ON CONFLICT DO NOTHING$sql$, changes);
    EXECUTE format($sql$
        UPDATE area_year_organisers AS y SET months = (y.months & ~k.touched) | k.active
        FROM (%s) AS k
        WHERE y.area = k.area AND y.year = k.year AND y.organiser_id = k.organiser_id$sql$,
        changes);
    RETURN NULL;
END $$;

CREATE TRIGGER area_year_organisers_insert AFTER INSERT ON area_month_organisers
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION area_year_organisers_apply();
CREATE TRIGGER area_year_organisers_update AFTER UPDATE ON area_month_organisers
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION area_year_organisers_apply();
CREATE TRIGGER area_year_organisers_delete AFTER DELETE ON area_month_organisers
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION area_year_organisers_apply();

-- How many organisers of an area and year have exactly these active months (none: no row):
-- within one year, the distinct organisers of any range of months are a sum over a handful
-- of rows.
CREATE TABLE area_year_organiser_sets (
    area       text NOT NULL,
    year       integer NOT NULL,
    months     integer NOT NULL,
    organisers integer NOT NULL DEFAULT 0,
    PRIMARY KEY (area, year, months)
);
INSERT INTO area_year_organiser_sets (area, year, months, organisers)
SELECT area, year, months, count(*) FROM area_year_organisers WHERE months <> 0
GROUP BY 1, 2, 3;

CREATE FUNCTION area_year_organiser_sets_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($sql$
        INSERT INTO area_year_organiser_sets AS s (area, year, months, organisers)
        SELECT area, year, months, sum(sign) FROM (%s) AS c WHERE months <> 0
        GROUP BY 1, 2, 3
        ON CONFLICT (area, year, months) DO UPDATE
          SET organisers = s.organisers + EXCLUDED.organisers$sql$,
        rollup_changes(TG_OP, 'area, year, months'));
    RETURN NULL;
END $$;

CREATE TRIGGER area_year_organiser_sets_insert AFTER INSERT ON area_year_organisers
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION area_year_organiser_sets_apply();
CREATE TRIGGER area_year_organiser_sets_update AFTER UPDATE ON area_year_organisers
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION area_year_organiser_sets_apply();
CREATE TRIGGER area_year_organiser_sets_delete AFTER DELETE ON area_year_organisers
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION area_year_organiser_sets_apply();
