-- What residents and boards read is what is still to come (`ends_at > now`), by area or not.
-- With only (area, starts_at) the planner walked an area's whole past to find it: the
-- calendar took 14× as long with a hundred years piled up as with one (issue #20, the growth
-- bench). By their end, the coming year's activities are a small range whatever the past.
CREATE INDEX activity_events_end ON activity_events (ends_at);
CREATE INDEX activity_events_area_end ON activity_events (area, ends_at);
