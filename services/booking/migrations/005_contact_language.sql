-- The language the organiser reads (fi, sv or en), kept with each booking as its contact is:
-- the emails about the booking are written in it (issue #15: a walk-in booked at the Swedish
-- desk was mailed in Finnish). Bookings made before read Finnish, as their mail did.
ALTER TABLE bookings
    ADD COLUMN contact_language text NOT NULL DEFAULT 'fi'
        CHECK (contact_language IN ('fi', 'sv', 'en'));
