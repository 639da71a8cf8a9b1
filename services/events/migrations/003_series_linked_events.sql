-- Recurring activities as a series whose occurrences can be changed or cancelled one by one,
-- and events exchanged with Linked Events (kept by their id there).
CREATE TABLE activity_event_series (
    id            uuid PRIMARY KEY,
    owner_subject text,
    rule          jsonb NOT NULL,            -- {"count": n} or {"until": "YYYY-MM-DD"}
    created_at    timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE activity_events
    ADD COLUMN series_id   uuid REFERENCES activity_event_series (id),
    ADD COLUMN external_id text UNIQUE;      -- e.g. "linkedevents:helsinki:agf3..."
CREATE INDEX activity_events_series ON activity_events (series_id, starts_at);

ALTER TABLE activity_events DROP CONSTRAINT activity_events_place_kind_check;
ALTER TABLE activity_events ADD CONSTRAINT activity_events_place_kind_check
    CHECK (place_kind IN ('venue', 'outdoors', 'pop_up', 'online', 'hybrid', 'other_place'));
