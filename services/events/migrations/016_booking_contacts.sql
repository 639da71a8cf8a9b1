-- Whom to tell what staff decided about a booking's draft when the organiser's sign-in gives
-- no verified address: the address the booking service verified for the booking (its
-- `contact_email`, by the identity provider or its one-time link), and the language they read
-- (`contact_language`). Personal data kept with the draft only while it may be needed: from
-- `booking.confirmed` until the draft enters the approval queue (then the address moves to
-- `approval_contacts`, if the sign-in gives none, and that row goes with the decision), is
-- published at once, or is withdrawn or deleted, or its booking ends, is cancelled, rejected
-- or not shown up for; then the row is deleted. It is never sent anywhere but in the
-- approval decision. Drafts made before this was added have no row.
CREATE TABLE booking_contacts (
    event_id  uuid PRIMARY KEY REFERENCES activity_events (id) ON DELETE CASCADE,
    email     text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
    language  text NOT NULL CHECK (language IN ('fi', 'sv', 'en')),
    kept_at   timestamptz NOT NULL
);
