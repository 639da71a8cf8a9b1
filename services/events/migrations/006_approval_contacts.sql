-- Whom to tell what staff decided about an activity in the approval queue (#14): the address
-- the identity provider verified for its organiser, and the language they read. Personal data
-- kept only as long as it is needed: from the moment the organiser sends the activity to the
-- queue until staff approve or refuse it (it then goes with the decision to notifications, the
-- one email sender) or it is withdrawn; then the row is deleted. Nothing is kept for an
-- activity that goes out at once, nor for one staff send to the queue. Activities already
-- waiting when this was added have no row: their organisers are not mailed.
CREATE TABLE approval_contacts (
    event_id  uuid PRIMARY KEY REFERENCES activity_events (id) ON DELETE CASCADE,
    email     text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
    language  text NOT NULL CHECK (language IN ('fi', 'sv', 'en')),
    kept_at   timestamptz NOT NULL
);
