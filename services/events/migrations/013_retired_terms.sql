-- Communications staff retire a term (junk left by test traffic, a word the city stopped
-- using) instead of deleting it: a retired term is offered for no new choice (the
-- organiser's form, the calendar's filters, GET /vocabulary unless asked), while the
-- activities that have it keep reading by its words and old filter links keep working.
-- Retiring and restoring are the term's next revision, told like a relabel.
ALTER TABLE vocabulary ADD COLUMN retired boolean NOT NULL DEFAULT false;

-- The calendar's filters show only terms in use: retiring or restoring one changes the
-- public pages as much as new words do (migration 011's trigger, now on both columns).
DROP TRIGGER vocabulary_public ON vocabulary;
CREATE TRIGGER vocabulary_public AFTER INSERT OR UPDATE OF label, retired ON vocabulary
    FOR EACH STATEMENT EXECUTE FUNCTION public_changed();
