-- Booking asks notifications to mail a one-time link to an address an organiser gave
-- (issue #13). The link is a secret: once the mail is sent or given up, the delivery keeps
-- its subject and forgets the text that held the link.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_purpose_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_purpose_check
    CHECK (purpose IN ('board', 'announcement', 'reminder', 'change', 'cancellation',
                       'booking_confirmed', 'booking_rejected', 'booking_cancelled',
                       'registration_confirmed', 'registration_waiting',
                       'registration_promoted', 'registration_cancelled',
                       'registration_change', 'subscription_confirm', 'subscription_digest',
                       'subscription_new', 'contact_verification'));

CREATE FUNCTION erase_verification_link() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IN ('published', 'failed', 'cancelled') THEN
        NEW.content := jsonb_build_object('subject', NEW.content -> 'subject',
                                          'language', NEW.content -> 'language',
                                          'text', '');
        NEW.recipient := NULL;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER deliveries_erase_verification_link
    BEFORE UPDATE ON deliveries FOR EACH ROW
    WHEN (NEW.purpose = 'contact_verification')
    EXECUTE FUNCTION erase_verification_link();
