-- The public activity calendar: places, vocabularies, audiences, registration, images,
-- who may edit, postponed and rescheduled events, attendance, and text search in fi/sv/en.

CREATE TABLE vocabulary (
    scheme text NOT NULL CHECK (scheme IN ('kind', 'topic', 'audience')),
    code   text NOT NULL CHECK (code ~ '^[a-z0-9_]+$'),
    label  jsonb NOT NULL,
    PRIMARY KEY (scheme, code)
);
INSERT INTO vocabulary (scheme, code, label) VALUES
  ('kind', 'open_unguided', '{"fi": "Avoin ohjaamaton toiminta", "sv": "Öppen verksamhet utan handledning", "en": "Open unguided activity"}'),
  ('kind', 'open_guided', '{"fi": "Avoin ohjattu toiminta", "sv": "Öppen handledd verksamhet", "en": "Open guided activity"}'),
  ('kind', 'equipment_lending', '{"fi": "Välineiden lainaus", "sv": "Utlåning av utrustning", "en": "Equipment lending"}'),
  ('kind', 'association_meeting', '{"fi": "Yhdistyksen kokoontuminen", "sv": "Föreningsmöte", "en": "Association meeting"}'),
  ('kind', 'digital', '{"fi": "Digitaalinen toiminta", "sv": "Digital verksamhet", "en": "Digital activity"}'),
  ('kind', 'resident_evening', '{"fi": "Asukasilta", "sv": "Invånarkväll", "en": "Resident evening"}'),
  ('kind', 'thematic_panel', '{"fi": "Teemaraati", "sv": "Temapanel", "en": "Thematic panel"}'),
  ('kind', 'town_hall_meeting', '{"fi": "Town Hall -tilaisuus", "sv": "Town Hall-möte", "en": "Town hall meeting"}'),
  ('kind', 'pop_up', '{"fi": "Pop up", "sv": "Pop up", "en": "Pop-up"}'),
  ('kind', 'participatory_budgeting', '{"fi": "Osallistuva budjetointi", "sv": "Deltagande budgetering", "en": "Participatory budgeting"}'),
  ('kind', 'other', '{"fi": "Muu", "sv": "Annat", "en": "Other"}'),
  ('topic', 'exercise', '{"fi": "Liikunta", "sv": "Motion", "en": "Exercise"}'),
  ('topic', 'music', '{"fi": "Musiikki", "sv": "Musik", "en": "Music"}'),
  ('topic', 'culture', '{"fi": "Kulttuuri", "sv": "Kultur", "en": "Culture"}'),
  ('topic', 'education', '{"fi": "Sivistys", "sv": "Bildning", "en": "Education"}'),
  ('topic', 'nature', '{"fi": "Luonto", "sv": "Natur", "en": "Nature"}'),
  ('topic', 'gardening', '{"fi": "Puutarha", "sv": "Trädgård", "en": "Gardening"}'),
  ('topic', 'crafts', '{"fi": "Askartelu ja käsityöt", "sv": "Pyssel och hantverk", "en": "Crafts"}'),
  ('topic', 'food', '{"fi": "Ruoka", "sv": "Mat", "en": "Food"}'),
  ('topic', 'discussion', '{"fi": "Keskustelu", "sv": "Diskussion", "en": "Discussion"}'),
  ('topic', 'skills', '{"fi": "Taidot ja tiedot", "sv": "Färdigheter", "en": "Skills"}'),
  ('topic', 'stories', '{"fi": "Tarinat", "sv": "Berättelser", "en": "Stories"}'),
  ('topic', 'games', '{"fi": "Pelit", "sv": "Spel", "en": "Games"}'),
  ('topic', 'digital_skills', '{"fi": "Digitaidot", "sv": "Digitala färdigheter", "en": "Digital skills"}'),
  ('audience', 'everyone', '{"fi": "Kaikki", "sv": "Alla", "en": "Everyone"}'),
  ('audience', 'children', '{"fi": "Lapset", "sv": "Barn", "en": "Children"}'),
  ('audience', 'families', '{"fi": "Lapsiperheet", "sv": "Barnfamiljer", "en": "Families"}'),
  ('audience', 'youth', '{"fi": "Nuoret", "sv": "Unga", "en": "Young people"}'),
  ('audience', 'seniors', '{"fi": "Seniorit", "sv": "Seniorer", "en": "Seniors"}'),
  ('audience', 'foreign_language', '{"fi": "Vieraskieliset", "sv": "Främmandespråkiga", "en": "Foreign-language residents"}'),
  ('audience', 'disabilities', '{"fi": "Vammaiset henkilöt", "sv": "Personer med funktionsnedsättning", "en": "People with disabilities"}');

ALTER TABLE activity_events DROP CONSTRAINT activity_events_status_check;
ALTER TABLE activity_events
    ADD CONSTRAINT activity_events_status_check CHECK (status IN
        ('draft', 'published', 'postponed', 'rescheduled', 'cancelled')),
    ADD COLUMN short_description jsonb,
    ADD COLUMN all_day        boolean NOT NULL DEFAULT false,
    ADD COLUMN place_kind     text NOT NULL DEFAULT 'venue'
                              CHECK (place_kind IN ('venue', 'outdoors', 'pop_up', 'online', 'hybrid')),
    ADD COLUMN place_name     jsonb,
    ADD COLUMN online_url     text,
    ADD COLUMN topics         text[] NOT NULL DEFAULT '{}',
    ADD COLUMN audiences      text[] NOT NULL DEFAULT '{}',
    ADD COLUMN min_age        integer CHECK (min_age >= 0),
    ADD COLUMN max_age        integer CHECK (max_age >= 0),
    ADD COLUMN languages      text[] NOT NULL DEFAULT '{fi}',
    ADD COLUMN accessibility  jsonb,
    ADD COLUMN price          numeric(10, 2) CHECK (price >= 0),
    ADD COLUMN registration_required boolean NOT NULL DEFAULT false,
    ADD COLUMN capacity       integer CHECK (capacity > 0),
    ADD COLUMN organiser_name text,           -- shown publicly: the association, not a person
    ADD COLUMN library_contact text,
    ADD COLUMN image_url      text,
    ADD COLUMN image_alt      jsonb,
    ADD COLUMN owner_subject  text,           -- who created it may edit it
    ADD COLUMN postponed_from tstzrange,
    ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('finnish', coalesce(name->>'fi', '')), 'A') ||
        setweight(to_tsvector('swedish', coalesce(name->>'sv', '')), 'A') ||
        setweight(to_tsvector('english', coalesce(name->>'en', '')), 'A') ||
        to_tsvector('finnish', coalesce(description->>'fi', '') || ' ' ||
                               coalesce(short_description->>'fi', '')) ||
        to_tsvector('swedish', coalesce(description->>'sv', '') || ' ' ||
                               coalesce(short_description->>'sv', '')) ||
        to_tsvector('english', coalesce(description->>'en', '') || ' ' ||
                               coalesce(short_description->>'en', ''))) STORED;
CREATE INDEX activity_events_search ON activity_events USING gin (search);
CREATE INDEX activity_events_topics ON activity_events USING gin (topics);
CREATE INDEX activity_events_status_start ON activity_events (status, starts_at);

-- After the activity: participants and visitors, corrected by a later report if needed.
CREATE TABLE attendance_reports (
    event_id      uuid PRIMARY KEY REFERENCES activity_events (id),
    participants  integer NOT NULL CHECK (participants >= 0),
    visitors      integer NOT NULL CHECK (visitors >= 0),
    revision      integer NOT NULL DEFAULT 1,
    reported_by   text NOT NULL,
    reported_at   timestamptz NOT NULL DEFAULT now()
);
