-- All of seed 001's measures as projections of the event log: held activity (attendance
-- reported), realised hours, participants, visitors, organisers, themes, and residents'
-- feedback, pre-aggregated per area, month, kind and venue.

ALTER TABLE activity_event_facts
    ADD COLUMN organiser_id uuid,
    ADD COLUMN topics       text[] NOT NULL DEFAULT '{}';

-- The latest attendance report of each activity event (may arrive before its event).
CREATE TABLE attendance_facts (
    activity_event_id uuid PRIMARY KEY,
    report_revision   integer NOT NULL,
    participants      integer NOT NULL CHECK (participants >= 0),
    visitors          integer NOT NULL CHECK (visitors >= 0)
);

DROP TABLE area_month_events;
CREATE TABLE area_month_activity (
    area             text NOT NULL,
    month            date NOT NULL,
    kind             text NOT NULL,
    venue            text NOT NULL,            -- venue id, or '' for activity elsewhere
    published_events integer NOT NULL DEFAULT 0,
    cancelled_events integer NOT NULL DEFAULT 0,
    held_events      integer NOT NULL DEFAULT 0,
    planned_hours    numeric(14, 2) NOT NULL DEFAULT 0,
    realised_hours   numeric(14, 2) NOT NULL DEFAULT 0,
    participants     bigint NOT NULL DEFAULT 0,
    visitors         bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (area, month, kind, venue)
);
CREATE INDEX area_month_activity_month ON area_month_activity (month, area);

-- Distinct organisers per area and month: a row per organiser with activity there.
CREATE TABLE area_month_organisers (
    area         text NOT NULL,
    month        date NOT NULL,
    organiser_id uuid NOT NULL,
    events       integer NOT NULL DEFAULT 0,
    PRIMARY KEY (area, month, organiser_id)
);

CREATE TABLE area_month_topics (
    area   text NOT NULL,
    month  date NOT NULL,
    topic  text NOT NULL,
    events integer NOT NULL DEFAULT 0,
    PRIMARY KEY (area, month, topic)
);

-- Residents' feedback (the Espoo model's comparable template); no personal data.
CREATE TABLE feedback (
    id                uuid PRIMARY KEY,
    activity_event_id uuid NOT NULL,
    satisfaction      smallint NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),
    wellbeing         text NOT NULL CHECK (wellbeing IN ('yes', 'no', 'unsure')),
    comment           text CHECK (length(comment) <= 2000),
    language          text NOT NULL CHECK (language IN ('fi', 'sv', 'en')),
    age_group         text CHECK (age_group IN ('under_18', '18_29', '30_64', '65_plus')),
    browser           text NOT NULL,            -- a hash of the browser's random cookie
    sender            text NOT NULL,            -- a keyed hash of the address, for rate limits
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (activity_event_id, browser)
);
CREATE INDEX feedback_sender_time ON feedback (sender, created_at);

CREATE TABLE area_month_satisfaction (
    area     text NOT NULL,
    month    date NOT NULL,
    kind     text NOT NULL,
    venue    text NOT NULL,
    answers  integer NOT NULL DEFAULT 0,
    score_1  integer NOT NULL DEFAULT 0,
    score_2  integer NOT NULL DEFAULT 0,
    score_3  integer NOT NULL DEFAULT 0,
    score_4  integer NOT NULL DEFAULT 0,
    score_5  integer NOT NULL DEFAULT 0,
    wellbeing_yes integer NOT NULL DEFAULT 0,
    PRIMARY KEY (area, month, kind, venue)
);

-- Carry over what the earlier aggregate knew: the facts are the source of truth.
INSERT INTO area_month_activity (area, month, kind, venue, published_events, cancelled_events,
                                 planned_hours)
SELECT coalesce(area, 'unknown'),
       date_trunc('month', starts_at AT TIME ZONE 'Europe/Helsinki')::date,
       kind, coalesce(venue_id::text, ''),
       count(*) FILTER (WHERE status = 'published'),
       count(*) FILTER (WHERE status = 'cancelled'),
       coalesce(round(sum(extract(epoch FROM ends_at - starts_at) / 3600)
                FILTER (WHERE status = 'published'), 2), 0)
FROM activity_event_facts
GROUP BY 1, 2, 3, 4;
