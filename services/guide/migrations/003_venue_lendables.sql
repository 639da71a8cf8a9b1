-- What each venue lends, from `venue.registered/updated` (`lendables`: booking's resources,
-- a name in fi/sv/en and how many): the guide answers "can I borrow …" with it. Empty until
-- a venue's next event, and for a venue that lends nothing.
ALTER TABLE venues ADD COLUMN lendables jsonb NOT NULL DEFAULT '[]';
