-- Populations per area and year (review of session 21): the areas table held one population,
-- and every period was divided by it, so a new year's figure rewrote the per-resident
-- figures of earlier years (and re-published their closed months). A period now takes its
-- own year's population, or the latest earlier year's. The rows there were are kept, with
-- their sample flag.
CREATE TABLE area_populations (
    area       text NOT NULL REFERENCES areas (code),
    year       integer NOT NULL,
    population integer NOT NULL CHECK (population >= 0),
    is_sample  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (area, year)
);

-- What each closed month was divided by, as first published: a closed month keeps its
-- denominators (a late attendance report re-publishes it with them; a population change
-- publishes nothing for it). The months closed so far were published with the one
-- population each area had.
ALTER TABLE closed_periods ADD COLUMN populations jsonb NOT NULL DEFAULT '{}';
UPDATE closed_periods SET populations = coalesce(
    (SELECT jsonb_object_agg(code, population) FROM areas), '{}');

INSERT INTO area_populations (area, year, population, is_sample)
SELECT code, population_year, population, population_is_sample FROM areas
WHERE population IS NOT NULL AND population_year IS NOT NULL;

-- areas.population, population_year and population_is_sample stay until a later release:
-- replicas of the release before this one still read them while a rolling deploy replaces
-- them (expand now, contract later). Nothing of this release reads or writes them.
