-- Replicas keep the boards' rendered feeds and screens (shared/readcache.py) until PostgreSQL
-- tells them, on this channel, that something a board shows has changed: a board, its items
-- (an activity published, moved or cancelled), staff's notices or where they are shown. A
-- NOTIFY is delivered only when its transaction commits, so no replica forgets too early, and
-- a cancelled activity leaves every replica's kept feed as the cancellation commits.
--
-- Per statement, not per row: one notification per change, however many boards it touches
-- (PostgreSQL folds identical ones of a transaction into one). The deliveries, the followers
-- and the emails, the consumer's other steady work, stay quiet: no board shows them.
CREATE FUNCTION public_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('kohtaamo_notifications_public_changes', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER notice_boards_public AFTER INSERT OR UPDATE OR DELETE ON notice_boards
    FOR EACH STATEMENT EXECUTE FUNCTION public_changed();
CREATE TRIGGER board_items_public AFTER INSERT OR UPDATE OR DELETE ON board_items
    FOR EACH STATEMENT EXECUTE FUNCTION public_changed();
CREATE TRIGGER board_notices_public AFTER INSERT OR UPDATE OR DELETE ON board_notices
    FOR EACH STATEMENT EXECUTE FUNCTION public_changed();
CREATE TRIGGER board_notice_boards_public AFTER INSERT OR UPDATE OR DELETE
    ON board_notice_boards FOR EACH STATEMENT EXECUTE FUNCTION public_changed();
