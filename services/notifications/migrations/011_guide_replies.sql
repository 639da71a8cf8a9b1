-- The guide's staff answer a resident by email when the chat could not wait (issue #19):
-- notifications, the platform's one email sender, sends it like an organiser's booking mail,
-- and the address is erased once the message is sent or given up.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_purpose_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_purpose_check
    CHECK (purpose IN ('board', 'announcement', 'reminder', 'change', 'cancellation',
                       'booking_confirmed', 'booking_rejected', 'booking_cancelled',
                       'registration_confirmed', 'registration_waiting',
                       'registration_promoted', 'registration_cancelled',
                       'registration_change', 'subscription_confirm', 'subscription_digest',
                       'subscription_new', 'contact_verification', 'guide_reply'));
