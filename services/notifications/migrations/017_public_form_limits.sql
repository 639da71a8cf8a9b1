-- The public forms that make this service send mail (signing up for an activity,
-- following) are held to ceilings, so no one can fill a stranger's inbox or an activity's
-- seats from a script.
-- A sign-up's address: how many times it was signed up in a day.
CREATE INDEX registrations_by_address ON registrations (lower(email), created_at)
    WHERE email IS NOT NULL;
-- Each mail a public form asked for, by client: a keyed hash of its network address (the
-- address itself is not kept), for the hourly ceiling per client. Rows live a day.
CREATE TABLE public_mail_requests (
    sender text NOT NULL,
    at     timestamptz NOT NULL
);
CREATE INDEX public_mail_requests_by_sender ON public_mail_requests (sender, at);
