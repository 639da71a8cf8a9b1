-- An area's boards each have a Finnish name of their own: POST /boards twice with the same
-- area and name made two boards, and the notice form on /staff listed them as identical
-- checkboxes (a tester's demo had 15 "Juankosken kirjasto (area board, Juankoski)").
--
-- Names are compared as a person reads them: case aside, spaces at the ends aside, a run of
-- spaces (a no-break space too) as one. The same words in SQL as in domain.board_name_key.
CREATE FUNCTION board_name_key(name text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT lower(btrim(regexp_replace(
              name, '[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+', ' ', 'g'))) $$;

-- Boards already made twice are kept, each under its own id: a signage player pulls
-- /boards/{id}/feed.json and /screen by that id, and a notice may be on any of them, so none
-- is removed or merged (a screen on the wall would go blank or show another board's notices).
-- The first made keeps its name; each later one is renamed with a number, "Juankosken
-- kirjasto (2)", in every language it has a name in, the smallest number no board of the area
-- has: every board's feed URL keeps working, and staff see in every list which is which,
-- where an index only over boards made from now on would leave the look-alikes as they are.
DO $$
DECLARE
    twin record;
    n integer;
BEGIN
    FOR twin IN
        SELECT id, area, name FROM (
            SELECT id, area, name, board_name_key(name->>'fi') AS key, row_number() OVER (
                       PARTITION BY area, board_name_key(name->>'fi')
                       ORDER BY created_at, id) AS nth
            FROM notice_boards WHERE venue_id IS NULL) ranked
        WHERE nth > 1 ORDER BY area, key, nth
    LOOP
        n := 2;
        WHILE EXISTS (SELECT 1 FROM notice_boards
                      WHERE venue_id IS NULL AND area = twin.area
                        AND board_name_key(name->>'fi')
                            = board_name_key(btrim(twin.name->>'fi') || ' (' || n || ')')) LOOP
            n := n + 1;
        END LOOP;
        UPDATE notice_boards
           SET name = (SELECT jsonb_object_agg(lang, CASE
                           WHEN jsonb_typeof(text) = 'string' AND btrim(text #>> '{}') <> ''
                           THEN to_jsonb(btrim(text #>> '{}') || ' (' || n || ')')
                           ELSE text END)
                       FROM jsonb_each(twin.name) AS given(lang, text))
         WHERE id = twin.id;
    END LOOP;
END $$;

-- One area board of a name in an area; a venue's board is named by its venue (the venues'
-- own rule), and a second would stop the venue's events here, so it is not among them.
CREATE UNIQUE INDEX notice_boards_area_name
    ON notice_boards (area, board_name_key(name->>'fi')) WHERE venue_id IS NULL;
