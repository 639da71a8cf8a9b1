-- The "New activity" forms sent, by the draft id their one-time key makes (organiser and
-- key, `domain.form_draft_id`): a form is sent once for good. Its draft deleted, the same
-- form sent again (Back to it, Create again) is told so rather than making the draft anew.
-- No reference to activity_events: the row outlives the draft, which is the point.
CREATE TABLE new_activity_forms (
    draft_id uuid PRIMARY KEY,
    sent_at  timestamptz NOT NULL
);
