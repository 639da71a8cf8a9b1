-- Space utilisation: booked hours ÷ open hours per space and month. Booked hours are a
-- projection of booking events; open hours follow from the venue's announced hours.
ALTER TABLE venues
    ADD COLUMN spaces        jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN opening_hours jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN exceptions    jsonb NOT NULL DEFAULT '[]';

CREATE TABLE booking_facts (
    booking_id uuid PRIMARY KEY,
    space_id   uuid NOT NULL,
    venue_id   uuid NOT NULL,
    status     text NOT NULL CHECK (status IN ('confirmed', 'released')),
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL
);

-- Booked hours per space in the month each booking starts in (Helsinki time).
CREATE TABLE space_month_booked (
    space_id     uuid NOT NULL,
    month        date NOT NULL,
    venue_id     uuid NOT NULL,
    booked_hours numeric(12, 2) NOT NULL DEFAULT 0,
    bookings     integer NOT NULL DEFAULT 0,
    PRIMARY KEY (space_id, month)
);
