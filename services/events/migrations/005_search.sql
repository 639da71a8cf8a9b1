-- Search as residents type: parts of words ("digi" finds "Digiapu"), with or without ä and ö
-- ("jynkka" finds "Jynkkä"), and place names (the venue's name, the place's name). Both
-- extensions are trusted: the database's owner may create them.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is only STABLE (its dictionary could change); named explicitly it is safe to
-- index, as PostgreSQL's documentation suggests.
CREATE FUNCTION kohtaamo_fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;

-- The event's words in every language, folded: names, descriptions, the place and organiser.
ALTER TABLE activity_events ADD COLUMN search_folded text GENERATED ALWAYS AS (
    kohtaamo_fold(coalesce(name->>'fi', '') || ' ' || coalesce(name->>'sv', '') || ' ' ||
                  coalesce(name->>'en', '') || ' ' ||
                  coalesce(short_description->>'fi', '') || ' ' ||
                  coalesce(short_description->>'sv', '') || ' ' ||
                  coalesce(short_description->>'en', '') || ' ' ||
                  coalesce(description->>'fi', '') || ' ' || coalesce(description->>'sv', '') ||
                  ' ' || coalesce(description->>'en', '') || ' ' ||
                  coalesce(place_name->>'fi', '') || ' ' || coalesce(place_name->>'sv', '') ||
                  ' ' || coalesce(place_name->>'en', '') || ' ' ||
                  coalesce(organiser_name, ''))) STORED;
CREATE INDEX activity_events_search_folded ON activity_events
    USING gin (search_folded gin_trgm_ops);

-- A venue's names in every language, folded, to find events by their library or centre.
ALTER TABLE venues ADD COLUMN search_folded text GENERATED ALWAYS AS (
    kohtaamo_fold(coalesce(name->>'fi', '') || ' ' || coalesce(name->>'sv', '') || ' ' ||
                  coalesce(name->>'en', '') || ' ' || municipality)) STORED;
