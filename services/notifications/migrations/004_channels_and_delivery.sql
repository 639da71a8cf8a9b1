-- Channel accounts: the city's social media accounts and its email sender. Configuration, per
-- area, venue, language and kind of event. The token is never stored here: `secret_ref` names
-- where it is (env:VARIABLE or file:/run/secrets/name), and it is read when a post is sent.
CREATE TABLE channel_accounts (
    id             uuid PRIMARY KEY,
    platform       text NOT NULL
                     CHECK (platform IN ('facebook', 'instagram', 'mastodon', 'bluesky', 'email')),
    name           text NOT NULL,
    base_url       text NOT NULL,
    account_ref    text NOT NULL DEFAULT '',
    secret_ref     text NOT NULL,
    -- Languages a post is written in, in this order (the area's languages).
    languages      text[] NOT NULL DEFAULT '{fi}',
    -- NULL: every area / venue / kind of activity.
    areas          text[],
    venue_ids      uuid[],
    kinds          text[],
    -- Hours before the activity a reminder is posted; NULL: no reminder.
    reminder_hours integer CHECK (reminder_hours > 0),
    enabled        boolean NOT NULL DEFAULT true,
    -- reauth_needed: the platform refused the token; the account's queue waits for a person.
    state          text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'reauth_needed')),
    state_detail   text,
    -- Rate limited: nothing is sent on the account before this.
    paused_until   timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- A delivery is now a unit of work with a schedule and a lease:
--   pending --claim--> sending --> published | failed | unconfirmed
--   pending --> cancelled (the activity changed or was cancelled before it was sent)
ALTER TABLE deliveries ALTER COLUMN activity_event_id DROP NOT NULL;
ALTER TABLE deliveries
    ADD COLUMN account_id  uuid REFERENCES channel_accounts (id),
    ADD COLUMN purpose     text NOT NULL DEFAULT 'board'
                             CHECK (purpose IN ('board', 'announcement', 'reminder', 'change',
                                                'cancellation', 'booking_confirmed',
                                                'booking_rejected', 'booking_cancelled')),
    ADD COLUMN booking_id  uuid,
    ADD COLUMN language    text,
    -- Not before: when it is first due, and after a failure when it may be tried again.
    ADD COLUMN due_at      timestamptz NOT NULL DEFAULT now(),
    -- Which replica is sending it, and until when its claim holds.
    ADD COLUMN claimed_by  text,
    ADD COLUMN lease_until timestamptz,
    -- The rendered post (text, link, image, alt text; subject and .ics for email).
    ADD COLUMN content     jsonb,
    -- An email's address; erased when the delivery ends (published, failed or cancelled).
    ADD COLUMN recipient   text,
    ADD COLUMN remote_id   text,
    ADD COLUMN remote_url  text,
    ADD COLUMN error_class text,
    ADD COLUMN decided_by  text;
CREATE INDEX deliveries_due ON deliveries (due_at) WHERE status = 'pending';
CREATE INDEX deliveries_lease ON deliveries (lease_until) WHERE status = 'sending';
CREATE INDEX deliveries_booking ON deliveries (booking_id) WHERE booking_id IS NOT NULL;

-- What the handlers need to render a post later (a reminder is rendered when it is planned,
-- but a change notice names the old time): the latest copy of the activity event.
ALTER TABLE activity_events ADD COLUMN facts jsonb;

-- Boards of an area (venue_id NULL) show every activity in the area; any board can be limited
-- to some kinds of activity. An item on an area board names its own venue and space.
ALTER TABLE notice_boards ADD COLUMN kinds text[];
ALTER TABLE board_items ADD COLUMN place jsonb;
CREATE INDEX notice_boards_area ON notice_boards (area) WHERE venue_id IS NULL;
