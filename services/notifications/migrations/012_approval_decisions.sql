-- The organiser is told what staff decided about their activity in the approval queue
-- (issue #14): approved (published) or refused (their draft again, with the reason). Sent
-- like an organiser's booking mail; the address is erased from the delivery once the message
-- is sent or given up, as for every email (store.py: recipient = NULL on published, failed
-- and cancelled).
ALTER TABLE deliveries DROP CONSTRAINT deliveries_purpose_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_purpose_check
    CHECK (purpose IN ('board', 'announcement', 'reminder', 'change', 'cancellation',
                       'booking_confirmed', 'booking_rejected', 'booking_cancelled',
                       'registration_confirmed', 'registration_waiting',
                       'registration_promoted', 'registration_cancelled',
                       'registration_change', 'subscription_confirm', 'subscription_digest',
                       'subscription_new', 'contact_verification', 'guide_reply',
                       'approval_approved', 'approval_refused'));
