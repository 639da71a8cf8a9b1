-- Communications staff's own notices (a closure, a change of hours) to chosen social accounts,
-- sent by the same sender as every post (issue #15): purpose 'notice', no activity behind it.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_purpose_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_purpose_check
    CHECK (purpose IN ('board', 'announcement', 'reminder', 'change', 'cancellation',
                       'booking_confirmed', 'booking_rejected', 'booking_cancelled',
                       'registration_confirmed', 'registration_waiting',
                       'registration_promoted', 'registration_cancelled',
                       'registration_change', 'subscription_confirm', 'subscription_digest',
                       'subscription_new', 'contact_verification', 'guide_reply',
                       'approval_approved', 'approval_refused', 'notice'));
