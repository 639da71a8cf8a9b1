-- A booking in a series cancelled: its mail waits a moment (domain.SERIES_MAIL_HOLD) for the
-- series' other times cancelled with it, which join it (one mail listing the times, rather
-- than one per time). The waiting mail is found by its series, kept in its content.
CREATE INDEX deliveries_series_mail ON deliveries ((content -> 'series' ->> 'id'))
    WHERE status = 'pending' AND purpose = 'booking_cancelled';
