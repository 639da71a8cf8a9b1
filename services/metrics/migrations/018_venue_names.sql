-- The venues' names in fi/sv/en, as their VenueRegistered/VenueUpdated say them: the
-- dashboard's venue filter offers venues by name, never by id. A venue heard before this
-- migration has none until its next revision (the page names it by its area meanwhile).
ALTER TABLE venues ADD COLUMN name jsonb NOT NULL DEFAULT '{}';
