-- Electronic notice boards: one per venue. Signage players pull each board's feeds.
CREATE TABLE notice_boards (
    id             uuid PRIMARY KEY,
    venue_id       uuid UNIQUE,
    area           text,
    name           jsonb NOT NULL,             -- {"fi": ..., "sv": ..., "en": ...}
    languages      text[] NOT NULL DEFAULT '{fi,sv,en}',
    -- Revision of the venue copy the name came from; 0 until venue.registered arrives.
    venue_revision integer NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- What a board shows: the latest revision of each activity event at its venue.
CREATE TABLE board_items (
    board_id          uuid NOT NULL REFERENCES notice_boards (id),
    activity_event_id uuid NOT NULL,
    revision          integer NOT NULL,
    status            text NOT NULL CHECK (status IN ('published', 'cancelled')),
    name              jsonb NOT NULL,
    starts_at         timestamptz NOT NULL,
    ends_at           timestamptz NOT NULL,
    kind              text NOT NULL,
    free              boolean NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (board_id, activity_event_id)
);
CREATE INDEX board_items_start ON board_items (board_id, starts_at);

-- One row per (activity event, channel, target, revision): the unit of delivery on every
-- channel. Boards are pulled, so a board delivery is published as soon as it is recorded.
CREATE TABLE deliveries (
    id                uuid PRIMARY KEY,
    activity_event_id uuid NOT NULL,
    channel           text NOT NULL,
    target            text NOT NULL,
    revision          integer NOT NULL,
    idempotency_key   text NOT NULL UNIQUE,
    status            text NOT NULL CHECK (status IN
                        ('pending', 'sending', 'published', 'failed', 'unconfirmed', 'cancelled')),
    attempts          integer NOT NULL DEFAULT 0,
    last_error        text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    published_at      timestamptz
);
CREATE INDEX deliveries_event ON deliveries (activity_event_id);
