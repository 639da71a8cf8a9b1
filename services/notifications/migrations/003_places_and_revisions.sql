-- The newest revision of each activity event this service has applied, whichever board (or,
-- later, social account) it went to. Every channel asks the same question, "is this copy newer
-- than what I have?" (domain.is_newer_revision), and an event can move from one venue to
-- another, so the answer is kept per event, not per board.
CREATE TABLE activity_events (
    id         uuid PRIMARY KEY,
    revision   integer NOT NULL,
    status     text NOT NULL,
    venue_id   uuid,
    area       text,
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO activity_events (id, revision, status, venue_id, area, updated_at)
SELECT DISTINCT ON (i.activity_event_id)
       i.activity_event_id, i.revision, i.status, b.venue_id, b.area, i.updated_at
  FROM board_items i JOIN notice_boards b ON b.id = i.board_id
 ORDER BY i.activity_event_id, i.revision DESC;

-- Where the venue's spaces are called what, so a board can say where in the venue an activity
-- is: {"<space id>": {"fi": ..., "sv": ..., "en": ...}}, from venue.registered / venue.updated.
ALTER TABLE notice_boards ADD COLUMN spaces jsonb NOT NULL DEFAULT '{}';

-- When the item first appeared on the board (JSON Feed date_published; updated_at is
-- date_modified), and which space of the venue it is in.
ALTER TABLE board_items ADD COLUMN space_id uuid;
ALTER TABLE board_items ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
UPDATE board_items SET created_at = updated_at;

-- An activity that moved to another venue (or online) is withdrawn from its old board: the row
-- stays with its revision, so a stale copy cannot bring it back, but no feed shows it.
ALTER TABLE board_items DROP CONSTRAINT board_items_status_check;
ALTER TABLE board_items ADD CONSTRAINT board_items_status_check
    CHECK (status IN ('published', 'postponed', 'cancelled', 'withdrawn'));
CREATE INDEX board_items_event ON board_items (activity_event_id);
CREATE INDEX deliveries_channel_status ON deliveries (channel, status);
