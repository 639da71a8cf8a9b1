-- The calendar's audience filter offered "Kaikki" twice in Finnish (and "Alla" twice in
-- Swedish): once as "no filter" and once as the audience `everyone`. The audience now reads
-- as whom the activity is for. A term staff have already relabelled keeps their words. The
-- new words are the term's next revision, told on the bus at the next start (migration 011:
-- `announced` false), so the follow page's copy changes with it.
UPDATE vocabulary
   SET label = '{"fi": "Kaikille", "sv": "För alla", "en": "For everyone"}',
       revision = revision + 1,
       announced = false
 WHERE scheme = 'audience' AND code = 'everyone'
   AND label = '{"fi": "Kaikki", "sv": "Alla", "en": "Everyone"}';
