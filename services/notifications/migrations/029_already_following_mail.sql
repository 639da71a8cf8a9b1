-- The follow form sent for choices the address follows already answers as any other
-- ("check your email"), so no one learns what an address follows; its owner is mailed
-- the subscription's links instead: the mail of purpose `subscription_known`.
SELECT add_delivery_purposes('subscription_known');
