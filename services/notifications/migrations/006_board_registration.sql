-- Whether taking part needs registration, so a board never says "free, no registration" of
-- an activity that does need it.
ALTER TABLE board_items ADD COLUMN registration_required boolean NOT NULL DEFAULT false;
