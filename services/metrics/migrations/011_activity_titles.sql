-- The activity's name as residents read it, so the feedback survey can say what it asks about
-- (the facts hold only what is counted).
CREATE TABLE activity_event_titles (
    activity_event_id uuid PRIMARY KEY,
    name              jsonb NOT NULL
);
