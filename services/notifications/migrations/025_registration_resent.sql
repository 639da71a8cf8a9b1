-- A registrant who lost their confirmation (and its cancel link) asks for it again from the
-- sign-up form's "already registered" refusal: mailed as purpose `registration_resent`, at
-- most once per domain.RESEND_EVERY per registration, counted from when it was last asked
-- for (by the service's clock, in the same transaction as the mail's delivery).
ALTER TABLE registrations ADD COLUMN confirmation_resent_at timestamptz;

SELECT add_delivery_purposes('registration_resent');
