-- Structured accessibility features of venues and spaces (issue #16: the organisers' space
-- search filters by them). A small fixed vocabulary after the Service Map's (Palvelukartta)
-- and Linked Events' accessibility data; the database refuses any other word. A feature
-- listed is known to be there; one not listed is not known (the desk has not said), so the
-- free-text `venues.accessibility` description stays beside it. A space has what its venue
-- has (entrance, parking) and what it has itself (a lift to its floor, an induction loop).
ALTER TABLE venues
    ADD COLUMN accessibility_features text[] NOT NULL DEFAULT '{}'
        CHECK (accessibility_features <@ ARRAY['step_free_entrance', 'lift', 'accessible_toilet',
                                               'induction_loop', 'accessible_parking']::text[]);
ALTER TABLE spaces
    ADD COLUMN accessibility_features text[] NOT NULL DEFAULT '{}'
        CHECK (accessibility_features <@ ARRAY['step_free_entrance', 'lift', 'accessible_toilet',
                                               'induction_loop', 'accessible_parking']::text[]);
