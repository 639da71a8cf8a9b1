-- Venues as the booking service announces them (venue.registered/updated): a read model.
CREATE TABLE venues (
    venue_id     uuid PRIMARY KEY,
    name         jsonb NOT NULL,
    kind         text NOT NULL,
    area         text NOT NULL,
    municipality text NOT NULL,
    spaces       jsonb NOT NULL DEFAULT '[]',
    revision     integer NOT NULL
);

-- Activity events: what residents find in the calendar and see on boards and social media.
CREATE TABLE activity_events (
    id           uuid PRIMARY KEY,
    booking_id   uuid UNIQUE,                 -- the booking it came from, if any
    status       text NOT NULL CHECK (status IN ('draft', 'published', 'cancelled')),
    name         jsonb NOT NULL,              -- {"fi": ..., "sv": ..., "en": ...}
    description  jsonb,
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz NOT NULL,
    kind         text NOT NULL,
    venue_id     uuid,
    space_id     uuid,
    area         text,
    organiser_id uuid,
    free         boolean NOT NULL DEFAULT true,
    -- iCalendar SEQUENCE: +1 with every change residents are told about.
    revision     integer NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
CREATE INDEX activity_events_start ON activity_events (starts_at);
CREATE INDEX activity_events_venue ON activity_events (venue_id, starts_at);
CREATE INDEX activity_events_area ON activity_events (area, starts_at);

CREATE TABLE activity_event_history (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id   uuid NOT NULL REFERENCES activity_events (id),
    status     text NOT NULL,
    actor      text NOT NULL,
    reason     text,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activity_event_history_event ON activity_event_history (event_id);
