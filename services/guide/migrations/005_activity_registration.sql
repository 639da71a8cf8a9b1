-- Whether taking part needs signing up first (the event's `registration_required`): the
-- guide says so beside the activity, and where to sign up (its event page) when asked.
ALTER TABLE activities ADD COLUMN registration_required boolean NOT NULL DEFAULT false;
