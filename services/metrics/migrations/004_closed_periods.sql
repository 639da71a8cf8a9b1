-- Months whose indicators were published as metrics.period_closed, and a fingerprint of
-- what was published, so a late correction goes out as a new revision.
CREATE TABLE closed_periods (
    month       date PRIMARY KEY,
    revision    integer NOT NULL,
    fingerprint text NOT NULL,
    closed_at   timestamptz NOT NULL DEFAULT now()
);
