-- The language a person wrote a history step's reason in, where it is known: staff's reason
-- for refusing a queued activity, in the language of the approval page they used. The
-- organiser's page marks the reason with it (lang), as it stands inside a sentence of the
-- page's own language (WCAG 3.1.2). Unknown (null) for older steps and the JSON API's.
ALTER TABLE activity_event_history ADD COLUMN language text;
