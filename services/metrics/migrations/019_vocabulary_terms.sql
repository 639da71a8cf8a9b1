-- The events service's vocabulary (kinds, topics, audiences) with its words in fi/sv/en, as
-- `vocabulary.term_set` (events.v1) tells it: the dashboard names its kinds and topics by
-- them (the page, its filters' choices), never by code. A term's words are replaced only by
-- a newer revision, so a late or replayed copy changes nothing. A retired term keeps its
-- words (past figures still read by them) and is offered as no new filter choice.
CREATE TABLE vocabulary_terms (
    scheme   text NOT NULL,
    code     text NOT NULL,
    label    jsonb NOT NULL,
    revision integer NOT NULL,
    retired  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (scheme, code)
);
