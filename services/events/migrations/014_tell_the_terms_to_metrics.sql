-- Metrics now keeps the vocabulary's words (its migration 019) to name kinds and topics on
-- its dashboard. Its consumer group has read `events.v1` for long, skipping the terms as a
-- type it had no handler for, so a city upgrading would see only the terms told after the
-- upgrade by their words, and every other kind and topic as its code. Every term is told
-- once more at the next start (migration 011: `announced` false), at its own revision:
-- readers that have it already keep it unchanged (a revision not newer changes nothing).
UPDATE vocabulary SET announced = false;
