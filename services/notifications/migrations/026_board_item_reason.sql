-- The organiser's reason for cancelling or postponing, as they wrote it (`event.cancelled`'s
-- and `event.postponed`'s `reason`; NULL when none was given or the item is not either), so a
-- board's feeds and screen say why, as the posts do, instead of inviting sign-ups.
ALTER TABLE board_items ADD COLUMN reason text;
