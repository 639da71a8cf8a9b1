-- Venues, their spaces and bookings. Organisers' personal data lives only here.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE venues (
    id           uuid PRIMARY KEY,
    name         jsonb NOT NULL,           -- {"fi": ..., "sv": ..., "en": ...}
    kind         text NOT NULL,
    area         text NOT NULL,
    municipality text NOT NULL,
    address      text,
    -- Only the main library rents paid space; branches host cooperation events only.
    has_paid_space boolean NOT NULL DEFAULT false,
    revision     integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE spaces (
    id         uuid PRIMARY KEY,
    venue_id   uuid NOT NULL REFERENCES venues (id),
    name       jsonb NOT NULL,
    capacity   integer CHECK (capacity IS NULL OR capacity > 0),
    equipment  text[] NOT NULL DEFAULT '{}',
    paid       boolean NOT NULL DEFAULT false,
    position   integer NOT NULL DEFAULT 0,      -- the order the desk lists them in
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX spaces_venue ON spaces (venue_id);

CREATE TABLE organisers (
    id         uuid PRIMARY KEY,
    name       text NOT NULL,
    email      text NOT NULL,
    phone      text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX organisers_email ON organisers (lower(email));

CREATE TABLE bookings (
    id           uuid PRIMARY KEY,
    space_id     uuid NOT NULL REFERENCES spaces (id),
    venue_id     uuid NOT NULL REFERENCES venues (id),
    organiser_id uuid NOT NULL REFERENCES organisers (id),
    title        text NOT NULL,
    during       tstzrange NOT NULL CHECK (NOT isempty(during)),
    status       text NOT NULL CHECK (status IN ('requested', 'confirmed', 'rejected', 'cancelled')),
    cooperation  boolean NOT NULL,
    house_rules_accepted_at timestamptz NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    -- Double booking is impossible here, whatever the application does: no two holding
    -- bookings of one space may overlap.
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (space_id WITH =, during WITH &&)
        WHERE (status IN ('requested', 'confirmed'))
);
CREATE INDEX bookings_space_time ON bookings USING gist (space_id, during);

-- Every change of a booking: who, when, why.
CREATE TABLE booking_history (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    booking_id uuid NOT NULL REFERENCES bookings (id),
    status     text NOT NULL,
    actor      text NOT NULL,
    reason     text,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX booking_history_booking ON booking_history (booking_id);
