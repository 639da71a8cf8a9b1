-- Areas the city reports on (seed 001: the city and the rural north and south). Populations
-- are reference data the city maintains; unknown until imported, never guessed.
CREATE TABLE areas (
    code               text PRIMARY KEY,
    name               jsonb NOT NULL,
    area_group         text NOT NULL CHECK (area_group IN ('city', 'rural_north', 'rural_south')),
    population         integer CHECK (population IS NULL OR population >= 0),
    population_year    integer,
    population_is_sample boolean NOT NULL DEFAULT false
);

INSERT INTO areas (code, name, area_group) VALUES
  ('kuopio.keskusta',     '{"fi": "Keskusta", "sv": "Centrum", "en": "City centre"}', 'city'),
  ('kuopio.puijonlaakso', '{"fi": "Puijonlaakso", "sv": "Puijonlaakso", "en": "Puijonlaakso"}', 'city'),
  ('kuopio.neulamaki',    '{"fi": "Neulamäki", "sv": "Neulamäki", "en": "Neulamäki"}', 'city'),
  ('kuopio.jynkka',       '{"fi": "Jynkkä", "sv": "Jynkkä", "en": "Jynkkä"}', 'city'),
  ('kuopio.pyoro',        '{"fi": "Pyörö", "sv": "Pyörö", "en": "Pyörö"}', 'city'),
  ('kuopio.juankoski',    '{"fi": "Juankoski", "sv": "Juankoski", "en": "Juankoski"}', 'rural_north'),
  ('kuopio.nilsia',       '{"fi": "Nilsiä", "sv": "Nilsiä", "en": "Nilsiä"}', 'rural_north'),
  ('kuopio.maaninka',     '{"fi": "Maaninka", "sv": "Maaninka", "en": "Maaninka"}', 'rural_north'),
  ('kuopio.riistavesi',   '{"fi": "Riistavesi", "sv": "Riistavesi", "en": "Riistavesi"}', 'rural_south'),
  ('kuopio.vehmersalmi',  '{"fi": "Vehmersalmi", "sv": "Vehmersalmi", "en": "Vehmersalmi"}', 'rural_south'),
  ('kuopio.karttula',     '{"fi": "Karttula", "sv": "Karttula", "en": "Karttula"}', 'rural_south');

CREATE TABLE venues (
    venue_id uuid PRIMARY KEY,
    area     text NOT NULL,
    kind     text NOT NULL,
    revision integer NOT NULL
);

-- One row per activity event, its latest revision: the facts every indicator projects.
CREATE TABLE activity_event_facts (
    activity_event_id  uuid PRIMARY KEY,
    revision           integer NOT NULL,
    status             text NOT NULL CHECK (status IN ('published', 'cancelled')),
    area               text,
    venue_id           uuid,
    kind               text NOT NULL,
    starts_at          timestamptz NOT NULL,
    ends_at            timestamptz NOT NULL,
    booking_id         uuid,
    first_seen_at      timestamptz NOT NULL DEFAULT now()
);

-- Pre-aggregated per area and month (Helsinki time), kept equal to the projection of the
-- facts by applying each fact change's delta in the same transaction.
CREATE TABLE area_month_events (
    area             text NOT NULL,
    month            date NOT NULL,
    published_events integer NOT NULL DEFAULT 0,
    cancelled_events integer NOT NULL DEFAULT 0,
    planned_hours    numeric(12, 2) NOT NULL DEFAULT 0,
    PRIMARY KEY (area, month)
);
