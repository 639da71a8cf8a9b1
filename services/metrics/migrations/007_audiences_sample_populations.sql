-- Events per audience (target group), like themes.
ALTER TABLE activity_event_facts ADD COLUMN audiences text[] NOT NULL DEFAULT '{}';
CREATE TABLE area_month_audiences (
    area     text NOT NULL,
    month    date NOT NULL,
    audience text NOT NULL,
    events   integer NOT NULL DEFAULT 0,
    PRIMARY KEY (area, month, audience)
);

-- SAMPLE populations so per-resident figures can be tried out: clearly flagged as samples
-- (population_is_sample), not statistics. The city replaces them with its own figures
-- (PUT /areas/{code}/population or POST /areas/populations.csv).
UPDATE areas SET population_is_sample = true, population_year = 2025, population = s.population
FROM (VALUES ('kuopio.keskusta', 20000), ('kuopio.puijonlaakso', 9000),
             ('kuopio.neulamaki', 8000), ('kuopio.jynkka', 7000), ('kuopio.pyoro', 5000),
             ('kuopio.nilsia', 6000), ('kuopio.juankoski', 4500), ('kuopio.maaninka', 3500),
             ('kuopio.riistavesi', 2000), ('kuopio.vehmersalmi', 1800),
             ('kuopio.karttula', 3200)) AS s (code, population)
WHERE areas.code = s.code AND areas.population IS NULL;
