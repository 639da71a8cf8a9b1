-- What an organiser's own pages (/my, issue #16) remember for next time: the language they
-- read and the contact details and kind of organiser they last gave. Kept per organiser (so
-- per token subject, organisers.subject); each booking keeps its own contact as before. The
-- anonymisation job deletes the row with the organiser's name and addresses.
CREATE TABLE organiser_preferences (
    organiser_id   uuid PRIMARY KEY REFERENCES organisers (id) ON DELETE CASCADE,
    language       text NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv', 'en')),
    organiser_type text,
    contact_name   text,
    contact_email  text,
    contact_phone  text,
    updated_at     timestamptz NOT NULL
);
