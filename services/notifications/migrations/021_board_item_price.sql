-- What taking part costs (euros; NULL when free or not told), from `event.*`'s `price`, so
-- a board's slide and feed say "5,50 €" rather than only that it is paid.
ALTER TABLE board_items ADD COLUMN price numeric(10, 2);
