-- The booking desk's whole job: richer catalogue, opening hours, rules as data, holds,
-- series, loans, and no double booking on the claims of leaf spaces.

-- Catalogue ---------------------------------------------------------------------------------
ALTER TABLE venues
    ADD COLUMN description   jsonb,
    ADD COLUMN latitude      double precision CHECK (latitude BETWEEN -90 AND 90),
    ADD COLUMN longitude     double precision CHECK (longitude BETWEEN -180 AND 180),
    ADD COLUMN accessibility jsonb,                      -- {"fi": ..., "sv": ..., "en": ...}
    ADD COLUMN contact       jsonb NOT NULL DEFAULT '{}', -- {"email": ..., "phone": ...}
    ADD COLUMN languages     text[] NOT NULL DEFAULT '{fi}';

ALTER TABLE spaces
    ADD COLUMN description  jsonb,
    ADD COLUMN parent_id    uuid REFERENCES spaces (id),  -- a hall split into rooms
    ADD COLUMN photos       jsonb NOT NULL DEFAULT '[]',  -- [{"url": ..., "alt": {"fi": ...}}]
    -- Rules as data the desk can change (seed 001 and the desk's practice).
    ADD COLUMN min_minutes        integer NOT NULL DEFAULT 30 CHECK (min_minutes >= 15),
    ADD COLUMN max_minutes        integer NOT NULL DEFAULT 240,
    ADD COLUMN horizon_days       integer NOT NULL DEFAULT 180 CHECK (horizon_days > 0),
    ADD COLUMN buffer_minutes     integer NOT NULL DEFAULT 0 CHECK (buffer_minutes >= 0),
    ADD COLUMN max_open_requests  integer NOT NULL DEFAULT 3 CHECK (max_open_requests > 0),
    ADD COLUMN confirmation       text NOT NULL DEFAULT 'manual'
                                  CHECK (confirmation IN ('manual', 'automatic')),
    ADD COLUMN price_per_hour     numeric(10, 2) CHECK (price_per_hour >= 0),
    ADD COLUMN cancellation_hours integer NOT NULL DEFAULT 24 CHECK (cancellation_hours >= 0),
    ADD COLUMN self_service       boolean NOT NULL DEFAULT false,
    ADD COLUMN overnight          boolean NOT NULL DEFAULT false,
    -- With check-in required, a booking nobody checks in to is released after the window.
    ADD COLUMN checkin_required   boolean NOT NULL DEFAULT false,
    ADD COLUMN checkin_minutes    integer NOT NULL DEFAULT 30 CHECK (checkin_minutes > 0),
    ADD COLUMN hold_minutes       integer NOT NULL DEFAULT 15 CHECK (hold_minutes > 0),
    ADD CHECK (max_minutes >= min_minutes);

-- Lendable resources with a quantity (Chromebooks for groups, sports equipment, games).
CREATE TABLE resources (
    id          uuid PRIMARY KEY,
    venue_id    uuid NOT NULL REFERENCES venues (id),
    name        jsonb NOT NULL,
    quantity    integer NOT NULL CHECK (quantity >= 0),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Opening hours ------------------------------------------------------------------------------
-- Weekly hours in local time (Europe/Helsinki); a space's own rows replace its venue's.
CREATE TABLE opening_hours (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id  uuid NOT NULL REFERENCES venues (id),
    space_id  uuid REFERENCES spaces (id),
    weekday   smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),   -- ISO: 1 = Monday
    opens     time NOT NULL,
    closes    time NOT NULL,
    kind      text NOT NULL CHECK (kind IN ('staffed', 'self_service')),
    CHECK (closes > opens)
);
CREATE INDEX opening_hours_venue ON opening_hours (venue_id, space_id);

-- Dated exceptions: a holiday closure, or different hours for one day.
CREATE TABLE opening_exceptions (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id  uuid NOT NULL REFERENCES venues (id),
    space_id  uuid REFERENCES spaces (id),
    day       date NOT NULL,
    opens     time,
    closes    time,
    kind      text CHECK (kind IN ('staffed', 'self_service')),
    reason    jsonb,
    CHECK ((opens IS NULL AND closes IS NULL AND kind IS NULL)
           OR (opens IS NOT NULL AND closes > opens AND kind IS NOT NULL))
);
CREATE INDEX opening_exceptions_day ON opening_exceptions (venue_id, day);

-- Organisers ----------------------------------------------------------------------------------
ALTER TABLE organisers
    ADD COLUMN subject        text UNIQUE,    -- the person's id at the identity provider
    ADD COLUMN anonymised_at  timestamptz;
ALTER TABLE organisers ALTER COLUMN email DROP NOT NULL;
-- A signed-in organiser is known by subject; only walk-ins (no subject) by email.
DROP INDEX organisers_email;
CREATE UNIQUE INDEX organisers_walk_in_email ON organisers (lower(email)) WHERE subject IS NULL;

-- Bookings ------------------------------------------------------------------------------------
CREATE TABLE booking_series (
    id          uuid PRIMARY KEY,
    space_id    uuid NOT NULL REFERENCES spaces (id),
    organiser_id uuid NOT NULL REFERENCES organisers (id),
    title       text NOT NULL,
    rule        jsonb NOT NULL,               -- {"weekly_until": ..., "count": ...}
    created_at  timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap;
ALTER TABLE bookings DROP CONSTRAINT bookings_status_check;
ALTER TABLE bookings
    ADD CONSTRAINT bookings_status_check CHECK (status IN
        ('held', 'requested', 'confirmed', 'rejected', 'cancelled', 'expired', 'no_show')),
    ADD COLUMN organiser_type   text NOT NULL DEFAULT 'resident' CHECK (organiser_type IN
        ('resident', 'association', 'party', 'religious', 'commercial', 'library')),
    ADD COLUMN shared_activity  boolean NOT NULL DEFAULT false,
    ADD COLUMN library_contact  text,
    ADD COLUMN hours_kind       text NOT NULL DEFAULT 'staffed'
                                CHECK (hours_kind IN ('staffed', 'self_service', 'overnight')),
    ADD COLUMN access_code      text,
    ADD COLUMN price            numeric(10, 2),
    ADD COLUMN invoice_reference text UNIQUE,
    ADD COLUMN series_id        uuid REFERENCES booking_series (id),
    ADD COLUMN hold_expires_at  timestamptz,
    ADD COLUMN checked_in_at    timestamptz,
    ADD COLUMN created_by       text NOT NULL DEFAULT 'organiser';
CREATE INDEX bookings_status ON bookings (status, venue_id);
CREATE INDEX bookings_organiser ON bookings (organiser_id, status);
CREATE INDEX bookings_hold_expiry ON bookings (hold_expires_at) WHERE status = 'held';

-- What a holding booking occupies: every leaf space under the booked one, for its time plus
-- the space's buffer. Double booking is impossible here, whatever the application does.
CREATE TABLE booking_claims (
    booking_id uuid NOT NULL REFERENCES bookings (id),
    space_id   uuid NOT NULL REFERENCES spaces (id),
    during     tstzrange NOT NULL,
    PRIMARY KEY (booking_id, space_id),
    CONSTRAINT booking_claims_no_overlap EXCLUDE USING gist (space_id WITH =, during WITH &&)
);
INSERT INTO booking_claims (booking_id, space_id, during)
    SELECT id, space_id, during FROM bookings WHERE status IN ('requested', 'confirmed');

-- Resource loans: a quantity for a time; the sum never exceeds what exists (checked under a
-- lock of the resource row, since an exclusion constraint cannot add up quantities).
CREATE TABLE resource_loans (
    id          uuid PRIMARY KEY,
    resource_id uuid NOT NULL REFERENCES resources (id),
    booking_id  uuid REFERENCES bookings (id),
    organiser_id uuid NOT NULL REFERENCES organisers (id),
    quantity    integer NOT NULL CHECK (quantity > 0),
    during      tstzrange NOT NULL,
    status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'returned', 'cancelled')),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX resource_loans_time ON resource_loans USING gist (resource_id, during);

-- Invoice numbers for paid bookings (a Finnish reference number is built from them).
CREATE SEQUENCE invoice_numbers START 1000;
