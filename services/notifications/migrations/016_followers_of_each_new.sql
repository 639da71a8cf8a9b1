-- A published activity asks for the followers of each new activity that it matches; only
-- they are read (store.followers_of_new), not every active subscription.
CREATE INDEX subscriptions_each_new ON subscriptions (id)
    WHERE status = 'active' AND each_new;
