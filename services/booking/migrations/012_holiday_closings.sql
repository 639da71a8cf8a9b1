-- Which years' public holidays each venue has been closed on (`close_on_public_holidays`).
-- The demo loader closes its libraries on this year's and next year's holidays at every
-- start: without knowing it has done a year, it either closed again a holiday the desk had
-- opened, or (closing only libraries it added) never closed a library loaded before it
-- knew of holidays, nor the year that comes when the calendar turns.
CREATE TABLE holiday_closings (
    venue_id  uuid NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    year      integer NOT NULL,
    closed_at timestamptz NOT NULL,
    PRIMARY KEY (venue_id, year)
);
