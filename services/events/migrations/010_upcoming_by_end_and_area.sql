-- What is still to come in an area: the planner took the end-time index, priced as cheap
-- because its order follows the table's, and fetched every coming activity of the city to
-- keep the area's: 3,000 heap fetches for 273 rows at a hundred years, 3x the area's own
-- (bench growth, issue #20). With the area beside the end in the same index, the area is
-- checked in the index and only its activities are fetched, whichever index the planner takes;
-- reads without an area use it as they used the end-time one.
CREATE INDEX activity_events_end_area ON activity_events (ends_at, area);
DROP INDEX activity_events_end;
