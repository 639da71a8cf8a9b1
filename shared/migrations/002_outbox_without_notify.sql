-- The relay no longer waits for NOTIFY: it looks for rows every few milliseconds while rows
-- flow and backs off to 50 ms when the outbox is quiet. A transaction that has run NOTIFY
-- takes one lock for the whole database while it commits, its WAL flush included, so every
-- transaction that wrote an event committed one at a time: measured here, concurrent
-- insert-and-commit went from 4,100/s to 2,000/s with it, and two replicas of a service
-- could not commit side by side.
DROP TRIGGER outbox_notify ON outbox;
DROP FUNCTION outbox_notify();
