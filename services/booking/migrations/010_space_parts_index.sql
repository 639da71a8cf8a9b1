-- A booking claims the leaves its space has when the claim is written (the statement that
-- places or moves it walks the space's parts), and adding a part copies the claims of the
-- bookings of the spaces above it: both walk the tree by parent. Parts by their parent.
CREATE INDEX spaces_parent ON spaces (parent_id) WHERE parent_id IS NOT NULL;
