-- When a try of this delivery may have posted (sent, no answer). Mastodon dedupes a re-send by
-- its Idempotency-Key for an hour only: after that a re-send could post twice, so a waiting
-- delivery that old becomes unconfirmed instead.
ALTER TABLE deliveries ADD COLUMN maybe_sent_at timestamptz;
