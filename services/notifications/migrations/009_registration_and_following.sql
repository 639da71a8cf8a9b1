-- Links in the mail (cancel, preferences, unsubscribe, personal feeds) carry the row's id and
-- an HMAC of it under KOHTAAMO_REACH_KEY: nothing secret is stored, and a link can be made
-- again for every message.
-- Residents' own channels (issue #18, ADR 0004): registration for activities that need it,
-- and subscriptions to what interests them. Both hold personal data (names, addresses), kept
-- here only, where the mail is sent; the bus carries counts (registration.counts).

-- What the organiser or the desk sets for an activity's registration; without a row, the
-- activity's own capacity, no window, groups of up to 6 and no questions.
CREATE TABLE registration_settings (
    activity_event_id uuid PRIMARY KEY,
    opens_at          timestamptz,
    closes_at         timestamptz,
    max_group         integer NOT NULL DEFAULT 6 CHECK (max_group BETWEEN 1 AND 50),
    capacity          integer CHECK (capacity > 0),
    -- [{"id": "allergies", "text": {"fi": …, "sv": …, "en": …}, "required": false}]
    questions         jsonb NOT NULL DEFAULT '[]',
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE registrations (
    id                uuid PRIMARY KEY,
    activity_event_id uuid NOT NULL,
    status            text NOT NULL CHECK (status IN ('confirmed', 'waiting', 'cancelled')),
    -- A group sign-up (a parent with children) takes this many seats.
    seats             integer NOT NULL CHECK (seats BETWEEN 1 AND 50),
    -- Personal data: erased (NULL) by the retention job after the activity.
    name              text,
    email             text,
    language          text NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv', 'en')),
    answers           jsonb NOT NULL DEFAULT '{}',
    attended          boolean,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    cancelled_at      timestamptz,
    anonymised_at     timestamptz
);
CREATE INDEX registrations_event ON registrations (activity_event_id, status, created_at);
-- One live registration per address and activity.
CREATE UNIQUE INDEX registrations_one_per_address ON registrations (activity_event_id, lower(email))
    WHERE status <> 'cancelled' AND email IS NOT NULL;
-- Each counts event's sequence (registration.counts), per activity.
CREATE TABLE registration_counts (
    activity_event_id uuid PRIMARY KEY,
    sequence          integer NOT NULL
);

CREATE TABLE subscriptions (
    id              uuid PRIMARY KEY,
    email           text NOT NULL,
    language        text NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv', 'en')),
    -- pending (double opt-in not yet confirmed) → active → unsubscribed
    status          text NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed')),
    -- What they follow; an empty list: any. Every chosen list must match.
    venue_ids       uuid[] NOT NULL DEFAULT '{}',
    areas           text[] NOT NULL DEFAULT '{}',
    topics          text[] NOT NULL DEFAULT '{}',
    audiences       text[] NOT NULL DEFAULT '{}',
    kinds           text[] NOT NULL DEFAULT '{}',
    -- weekly digest; each: also a message for every new matching activity.
    each_new        boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL,
    confirmed_at    timestamptz,
    unsubscribed_at timestamptz,
    last_digest_at  timestamptz
);
CREATE INDEX subscriptions_active ON subscriptions (last_digest_at) WHERE status = 'active';

ALTER TABLE deliveries
    ADD COLUMN registration_id uuid,
    ADD COLUMN subscription_id uuid;
CREATE INDEX deliveries_registration ON deliveries (registration_id)
    WHERE registration_id IS NOT NULL;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_purpose_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_purpose_check
    CHECK (purpose IN ('board', 'announcement', 'reminder', 'change', 'cancellation',
                       'booking_confirmed', 'booking_rejected', 'booking_cancelled',
                       'registration_confirmed', 'registration_waiting',
                       'registration_promoted', 'registration_cancelled',
                       'registration_change', 'subscription_confirm', 'subscription_digest',
                       'subscription_new'));
