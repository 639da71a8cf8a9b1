-- Reach counts an activity once per channel target (a board, an account), in the month and
-- area the activity now has: a delivery per revision, reminder and notice counted it again,
-- and a moved activity kept its reach in the old month. Deliveries counted before this stay
-- counted, each as a target of its own.
CREATE TABLE activity_reach (
    activity_event_id uuid NOT NULL,
    channel           text NOT NULL,
    target            text NOT NULL,
    area              text NOT NULL,
    month             date NOT NULL,
    PRIMARY KEY (activity_event_id, channel, target)
);
INSERT INTO activity_reach (activity_event_id, channel, target, area, month)
SELECT activity_event_id, channel, delivery_id::text, area, month FROM delivery_facts;
