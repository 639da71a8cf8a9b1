-- A postponed activity stays on the board, marked postponed, until it gets its new time.
ALTER TABLE board_items DROP CONSTRAINT board_items_status_check;
ALTER TABLE board_items ADD CONSTRAINT board_items_status_check
    CHECK (status IN ('published', 'postponed', 'cancelled'));
