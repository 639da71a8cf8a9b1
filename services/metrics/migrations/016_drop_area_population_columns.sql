-- The contract step of migration 013 (expand, then contract): populations live per area and
-- year in area_populations, and areas.population, population_year and population_is_sample
-- were kept only so that the replicas of the release before 013 could read them during its
-- rolling deploy. That release has shipped; no code, test, benchmark, deployment or demo
-- loader reads or writes them any more, so they go (their CHECK constraint with them).
ALTER TABLE areas
    DROP COLUMN IF EXISTS population,
    DROP COLUMN IF EXISTS population_year,
    DROP COLUMN IF EXISTS population_is_sample;
