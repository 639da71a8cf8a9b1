-- An organiser's own activities (their pages, /my/activities, issue #16) are read by who owns
-- them, drafts and past ones too, in time order.
CREATE INDEX activity_events_owner ON activity_events (owner_subject, starts_at)
    WHERE owner_subject IS NOT NULL;
