-- The events service's vocabulary (kinds, topics, audiences) with its words in fi/sv/en, as
-- `vocabulary.term_set` (events.v1) tells it: the follow page names its choices by them, a
-- code the city added later too. A term's words are replaced only by a newer revision, so
-- a copy arriving late (a replay of the topic) changes nothing. `scheme` is the events
-- service's: kind, topic or audience.
CREATE TABLE vocabulary_terms (
    scheme   text NOT NULL,
    code     text NOT NULL,
    label    jsonb NOT NULL,
    revision integer NOT NULL,
    PRIMARY KEY (scheme, code)
);
