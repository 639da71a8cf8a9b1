-- The guide's own read model of venues and activities (from booking.v1 and events.v1), its
-- search index, and the conversations it owns with the staff inbox.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is only STABLE (it reads its dictionary); an index needs an IMMUTABLE wrapper
-- with the dictionary named.
CREATE OR REPLACE FUNCTION guide_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(unaccent('unaccent'::regdictionary, $1)) $$;

CREATE TABLE venues (
    venue_id        uuid PRIMARY KEY,
    revision        integer NOT NULL,
    name            jsonb NOT NULL,
    kind            text NOT NULL,
    area            text NOT NULL,
    municipality    text NOT NULL,
    address         text,
    spaces          jsonb NOT NULL DEFAULT '[]',
    opening_hours   jsonb NOT NULL DEFAULT '[]',
    exceptions      jsonb NOT NULL DEFAULT '[]',
    contact_email   text,
    contact_phone   text,
    accessibility   jsonb,
    has_paid_space  boolean,
    search_text     text GENERATED ALWAYS AS (
        guide_fold(coalesce(name->>'fi', '') || ' ' || coalesce(name->>'sv', '') || ' '
                   || coalesce(name->>'en', '') || ' ' || coalesce(address, ''))) STORED
);
CREATE INDEX venues_area ON venues (area);
CREATE INDEX venues_trgm ON venues USING gin (search_text gin_trgm_ops);

CREATE TABLE activities (
    event_id        uuid PRIMARY KEY,
    revision        integer NOT NULL,
    status          text NOT NULL CHECK (status IN ('published', 'postponed', 'cancelled')),
    name            jsonb NOT NULL,
    short_description jsonb,
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    kind            text NOT NULL,
    venue_id        uuid,
    area            text,
    free            boolean NOT NULL,
    topics          text[] NOT NULL DEFAULT '{}',
    audiences       text[] NOT NULL DEFAULT '{}',
    languages       text[] NOT NULL DEFAULT '{}',
    place_name      jsonb,
    -- Full text per language (Finnish, Swedish, English stemming over folded text) and the
    -- folded text for trigram matching of misspelt or partial words.
    doc_fi tsvector GENERATED ALWAYS AS (to_tsvector('finnish', guide_fold(
        coalesce(name->>'fi', '') || ' ' || coalesce(short_description->>'fi', '')))) STORED,
    doc_sv tsvector GENERATED ALWAYS AS (to_tsvector('swedish', guide_fold(
        coalesce(name->>'sv', name->>'fi', '') || ' '
        || coalesce(short_description->>'sv', short_description->>'fi', '')))) STORED,
    doc_en tsvector GENERATED ALWAYS AS (to_tsvector('english', guide_fold(
        coalesce(name->>'en', name->>'fi', '') || ' '
        || coalesce(short_description->>'en', short_description->>'fi', '')))) STORED,
    search_text text GENERATED ALWAYS AS (guide_fold(
        coalesce(name->>'fi', '') || ' ' || coalesce(name->>'sv', '') || ' '
        || coalesce(name->>'en', ''))) STORED
);
CREATE INDEX activities_time ON activities (starts_at);
CREATE INDEX activities_doc_fi ON activities USING gin (doc_fi);
CREATE INDEX activities_doc_sv ON activities USING gin (doc_sv);
CREATE INDEX activities_doc_en ON activities USING gin (doc_en);
CREATE INDEX activities_trgm ON activities USING gin (search_text gin_trgm_ops);

CREATE TABLE conversations (
    conversation_id uuid PRIMARY KEY,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    language        text NOT NULL CHECK (language IN ('fi', 'sv', 'en')),
    -- web (the widget), api (another city channel) or phone (the phone service's staff)
    channel         text NOT NULL CHECK (channel IN ('web', 'api', 'phone')),
    status          text NOT NULL CHECK (status IN
                        ('open', 'waiting', 'awaiting_reply', 'answered', 'closed')),
    queue           text,
    area            text,
    -- Personal data only when the resident gives it for a reply; erased once replied.
    contact_email   text
);
CREATE INDEX conversations_inbox ON conversations (status, queue, updated_at);
CREATE INDEX conversations_updated ON conversations (updated_at);

CREATE TABLE messages (
    message_id      uuid PRIMARY KEY,
    -- The order messages were written in (several can share a moment).
    seq             bigint GENERATED ALWAYS AS IDENTITY,
    conversation_id uuid NOT NULL REFERENCES conversations ON DELETE CASCADE,
    at              timestamptz NOT NULL,
    author          text NOT NULL CHECK (author IN ('resident', 'guide', 'staff')),
    text            text NOT NULL,
    answer          jsonb,
    staff_name      text
);
CREATE INDEX messages_conversation ON messages (conversation_id, seq);
