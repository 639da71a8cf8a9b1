-- Communications staff retire a term of the events service's vocabulary (`retired` on
-- `vocabulary.term_set`, a newer revision): the follow page offers it no longer, while a
-- follower who chose it keeps their choice, shown by its words. Terms told before the flag
-- existed are not retired.
ALTER TABLE vocabulary_terms ADD COLUMN retired boolean NOT NULL DEFAULT false;
