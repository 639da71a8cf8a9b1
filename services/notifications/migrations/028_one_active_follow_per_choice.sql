-- One address's subscriptions following the same choices (the follow form sent twice, before
-- a second sending mailed the first's confirmation again) were both confirmed, so every
-- digest came twice. Of such twins that are active, the first confirmed is kept and the
-- others are unsubscribed (nothing more is sent by them; their links say so). The choices
-- are compared as sets, whatever their order.
WITH ranked AS (
    SELECT s.id,
           row_number() OVER (
               PARTITION BY lower(s.email),
                   ARRAY(SELECT DISTINCT v::text FROM unnest(s.venue_ids) v ORDER BY 1)::text,
                   ARRAY(SELECT DISTINCT v FROM unnest(s.areas) v ORDER BY 1)::text,
                   ARRAY(SELECT DISTINCT v FROM unnest(s.topics) v ORDER BY 1)::text,
                   ARRAY(SELECT DISTINCT v FROM unnest(s.audiences) v ORDER BY 1)::text,
                   ARRAY(SELECT DISTINCT v FROM unnest(s.kinds) v ORDER BY 1)::text
               ORDER BY s.confirmed_at NULLS LAST, s.created_at, s.id) AS n
    FROM subscriptions s
    WHERE s.status = 'active'
)
UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = now()
FROM ranked WHERE ranked.id = subscriptions.id AND ranked.n > 1;
