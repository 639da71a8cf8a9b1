-- Mail goes only to addresses known to reach the organiser (issue #13): the identity
-- provider's verified `email`, an address the desk staff vouched for at a walk-in, or one
-- whose one-time link was opened. Per organiser: one organiser proving an address does not
-- let another have mail sent to it.
CREATE TABLE verified_contacts (
    organiser_id uuid NOT NULL REFERENCES organisers (id),
    email        text NOT NULL CHECK (email = lower(email)),
    verified_at  timestamptz NOT NULL,
    -- identity_provider, desk:<subject> or link
    how          text NOT NULL,
    PRIMARY KEY (organiser_id, email)
);

-- One-time links: only the token's SHA-256 is kept, so the table cannot be used to verify.
CREATE TABLE contact_verifications (
    token_hash   text PRIMARY KEY,
    organiser_id uuid NOT NULL REFERENCES organisers (id),
    email        text NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);
CREATE INDEX contact_verifications_open ON contact_verifications (organiser_id, email)
    WHERE used_at IS NULL;

-- Bookings made by the desk (walk-ins) before this: the desk gave the address.
INSERT INTO verified_contacts (organiser_id, email, verified_at, how)
SELECT DISTINCT ON (b.organiser_id, lower(b.contact_email)) b.organiser_id,
       lower(b.contact_email), b.created_at, b.created_by
FROM bookings b
WHERE b.contact_email IS NOT NULL AND b.created_by LIKE 'desk%'
ORDER BY b.organiser_id, lower(b.contact_email), b.created_at
ON CONFLICT DO NOTHING;
