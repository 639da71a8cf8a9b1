-- A whole-day activity (event.* all_day): a board, its feeds and its calendar show its dates,
-- not midnight to midnight.
ALTER TABLE board_items ADD COLUMN all_day boolean NOT NULL DEFAULT false;
