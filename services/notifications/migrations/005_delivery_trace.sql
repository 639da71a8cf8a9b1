-- The trace of the event that planned a delivery, so its sending (maybe hours later, by any
-- replica) is a span of the same trace: one activity can be followed to the platform's post.
ALTER TABLE deliveries ADD COLUMN traceparent text;
