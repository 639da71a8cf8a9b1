-- The area groups' and the whole city's distinct organisers as pre-aggregates (issue #20,
-- session 28), the way migration 009 keeps each area's.
--
-- The summary's group and city totals counted the distinct organisers over every area's
-- row of the year (area_year_organisers): 25 ms at 3,000 organisers in eleven areas, where
-- each area's own count is a sum over a handful of area_year_organiser_sets rows. A scope
-- (an area group, or 'municipality' for the whole city) now has the same two tables.
--
-- An organiser's months in a scope are the union of its months in the scope's areas, and a
-- union cannot be taken back when one area's bit is cleared. So a scope row keeps, per
-- month, in how many of the scope's areas the organiser was active: every change of an
-- area row adds or takes away its own areas, so concurrent commits for one organiser in two
-- areas of a group add up whichever commits first (an UPDATE re-reads the row it waited
-- for), and `months` is the bits whose count is above zero.

CREATE FUNCTION month_counts_add(a integer[], b integer[]) RETURNS integer[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_agg(a[m] + b[m] ORDER BY m) FROM generate_series(1, 12) AS m
$$;

-- Bit m-1 set where month m's count is above zero.
CREATE FUNCTION month_counts_bits(counts integer[]) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(bit_or(1 << (m - 1)) FILTER (WHERE counts[m] > 0), 0)
    FROM generate_series(1, 12) AS m
$$;

CREATE TABLE scope_year_organisers (
    scope        text NOT NULL,  -- an area group, or 'municipality'
    year         integer NOT NULL,
    organiser_id uuid NOT NULL,
    month_areas  integer[] NOT NULL CHECK (cardinality(month_areas) = 12),
    months       integer NOT NULL CHECK (months BETWEEN 0 AND 4095),
    PRIMARY KEY (scope, year, organiser_id)
);

CREATE TABLE scope_year_organiser_sets (
    scope      text NOT NULL,
    year       integer NOT NULL,
    months     integer NOT NULL,
    organisers integer NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, year, months)
);

-- What a statement on area_year_organisers changed, per scope, year, organiser and month:
-- +1 for a bit it set, -1 for a bit it cleared. An area outside the city's list belongs to
-- no group, only to the city.
CREATE FUNCTION scope_month_changes(changes jsonb) RETURNS TABLE (
    scope text, year integer, organiser_id uuid, month_areas integer[])
LANGUAGE sql STABLE AS $$
    SELECT scope, year, organiser_id, array_agg(delta ORDER BY m)
    FROM (SELECT s.scope, r.year, r.organiser_id, m,
                 sum(r.sign * ((r.months >> (m - 1)) & 1))::int AS delta
          FROM jsonb_to_recordset(changes) AS r (sign integer, area text, year integer,
                                                organiser_id uuid, months integer)
          LEFT JOIN areas ar ON ar.code = r.area
          CROSS JOIN LATERAL (VALUES ('municipality'), (ar.area_group)) AS s (scope)
          CROSS JOIN generate_series(1, 12) AS m
          WHERE s.scope IS NOT NULL
          GROUP BY 1, 2, 3, 4) AS c
    GROUP BY 1, 2, 3
    HAVING bool_or(delta <> 0)
$$;

CREATE FUNCTION scope_year_organisers_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changes jsonb;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT jsonb_agg(jsonb_build_object('sign', 1, 'area', area, 'year', year,
                                            'organiser_id', organiser_id, 'months', months))
        INTO changes FROM new_rows WHERE months <> 0;
    ELSIF TG_OP = 'UPDATE' THEN
        SELECT jsonb_agg(c) INTO changes FROM (
            SELECT jsonb_build_object('sign', 1, 'area', area, 'year', year,
                                      'organiser_id', organiser_id, 'months', months) AS c
            FROM new_rows WHERE months <> 0
            UNION ALL
            SELECT jsonb_build_object('sign', -1, 'area', area, 'year', year,
                                      'organiser_id', organiser_id, 'months', months)
            FROM old_rows WHERE months <> 0) AS both_sides;
    ELSE
        SELECT jsonb_agg(jsonb_build_object('sign', -1, 'area', area, 'year', year,
                                            'organiser_id', organiser_id, 'months', months))
        INTO changes FROM old_rows WHERE months <> 0;
    END IF;
    IF changes IS NULL THEN
        RETURN NULL;
    END IF;
    -- In key order, so two commits that share scope rows lock them in the same order.
    INSERT INTO scope_year_organisers AS s (scope, year, organiser_id, month_areas, months)
    SELECT c.scope, c.year, c.organiser_id, c.month_areas, month_counts_bits(c.month_areas)
    FROM scope_month_changes(changes) AS c
    ORDER BY 1, 2, 3
    ON CONFLICT (scope, year, organiser_id) DO UPDATE
      SET month_areas = month_counts_add(s.month_areas, EXCLUDED.month_areas),
          months = month_counts_bits(month_counts_add(s.month_areas, EXCLUDED.month_areas));
    RETURN NULL;
END $$;

CREATE TRIGGER scope_year_organisers_insert AFTER INSERT ON area_year_organisers
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION scope_year_organisers_apply();
CREATE TRIGGER scope_year_organisers_update AFTER UPDATE ON area_year_organisers
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION scope_year_organisers_apply();
CREATE TRIGGER scope_year_organisers_delete AFTER DELETE ON area_year_organisers
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION scope_year_organisers_apply();

-- How many organisers of a scope and year have exactly these active months, as
-- area_year_organiser_sets does for an area.
CREATE FUNCTION scope_year_organiser_sets_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO scope_year_organiser_sets AS s (scope, year, months, organisers)
        SELECT scope, year, months, count(*) FROM new_rows WHERE months <> 0
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (scope, year, months) DO UPDATE
          SET organisers = s.organisers + EXCLUDED.organisers;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO scope_year_organiser_sets AS s (scope, year, months, organisers)
        SELECT scope, year, months, sum(sign)
        FROM (SELECT 1 AS sign, scope, year, months FROM new_rows
              UNION ALL
              SELECT -1, scope, year, months FROM old_rows) AS c
        WHERE months <> 0
        GROUP BY 1, 2, 3
        HAVING sum(sign) <> 0  -- the same set before and after: its count stays
        ORDER BY 1, 2, 3
        ON CONFLICT (scope, year, months) DO UPDATE
          SET organisers = s.organisers + EXCLUDED.organisers;
    ELSE
        INSERT INTO scope_year_organiser_sets AS s (scope, year, months, organisers)
        SELECT scope, year, months, -count(*) FROM old_rows WHERE months <> 0
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (scope, year, months) DO UPDATE
          SET organisers = s.organisers + EXCLUDED.organisers;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER scope_year_organiser_sets_insert AFTER INSERT ON scope_year_organisers
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION scope_year_organiser_sets_apply();
CREATE TRIGGER scope_year_organiser_sets_update AFTER UPDATE ON scope_year_organisers
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION scope_year_organiser_sets_apply();
CREATE TRIGGER scope_year_organiser_sets_delete AFTER DELETE ON scope_year_organisers
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION scope_year_organiser_sets_apply();

-- What is there already, once (the triggers above keep it from here on).
INSERT INTO scope_year_organisers (scope, year, organiser_id, month_areas, months)
SELECT c.scope, c.year, c.organiser_id, c.month_areas, month_counts_bits(c.month_areas)
FROM scope_month_changes((
    SELECT jsonb_agg(jsonb_build_object('sign', 1, 'area', area, 'year', year,
                                        'organiser_id', organiser_id, 'months', months))
    FROM area_year_organisers WHERE months <> 0)) AS c;
