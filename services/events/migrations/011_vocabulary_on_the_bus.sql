-- The vocabulary's words travel on the bus (`vocabulary.term_set`, events.v1), so other
-- services keep their own copy of them instead of a hand-made one. Each term counts its
-- relabels (`revision`, 1 for a new term, told with it so a reader keeps the newest) and
-- remembers whether it was told (`announced`): the seed's terms and any saved before this
-- migration are told once at the service's start (usecases.announce_vocabulary), each of
-- them once however many replicas start at once.
ALTER TABLE vocabulary
    ADD COLUMN revision  integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
    ADD COLUMN announced boolean NOT NULL DEFAULT false;

-- A term's words show on the public calendar's filters and event pages: a new term or new
-- words make the replicas forget their rendered answers (migration 007). Telling a term
-- (only `announced` changes) does not.
CREATE TRIGGER vocabulary_public AFTER INSERT OR UPDATE OF label ON vocabulary
    FOR EACH STATEMENT EXECUTE FUNCTION public_changed();
