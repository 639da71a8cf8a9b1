-- A booking's contact details belong to that booking: an organiser who gives different
-- details in two requests keeps each request's own (the email about a decision goes to whom
-- that request named). Filled from the organisers' current details for bookings made before.
ALTER TABLE bookings
    ADD COLUMN contact_name  text,
    ADD COLUMN contact_email text,
    ADD COLUMN contact_phone text;
UPDATE bookings b SET contact_name = o.name, contact_email = o.email, contact_phone = o.phone
    FROM organisers o WHERE o.id = b.organiser_id AND o.anonymised_at IS NULL;

-- Loans can be looked up by booking (a cancelled booking's loans) and by organiser.
CREATE INDEX resource_loans_booking ON resource_loans (booking_id) WHERE booking_id IS NOT NULL;
