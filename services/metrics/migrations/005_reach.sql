-- Reach: activity events delivered to each channel (boards, social media, email), counted
-- once per delivery, in the month of the activity.
CREATE TABLE delivery_facts (
    delivery_id       uuid PRIMARY KEY,
    activity_event_id uuid NOT NULL,
    channel           text NOT NULL,
    area              text NOT NULL,
    month             date NOT NULL
);
CREATE TABLE area_month_reach (
    area       text NOT NULL,
    month      date NOT NULL,
    channel    text NOT NULL,
    deliveries integer NOT NULL DEFAULT 0,
    PRIMARY KEY (area, month, channel)
);
