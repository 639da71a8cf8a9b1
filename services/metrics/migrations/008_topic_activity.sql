-- The activity figures per theme too, so every indicator can be filtered by topic. An event
-- with two themes is in both rows: fine for a filter, never summed across topics.
CREATE TABLE area_month_topic_activity (
    area             text NOT NULL,
    month            date NOT NULL,
    topic            text NOT NULL,
    published_events integer NOT NULL DEFAULT 0,
    cancelled_events integer NOT NULL DEFAULT 0,
    held_events      integer NOT NULL DEFAULT 0,
    planned_hours    numeric(14, 2) NOT NULL DEFAULT 0,
    realised_hours   numeric(14, 2) NOT NULL DEFAULT 0,
    participants     bigint NOT NULL DEFAULT 0,
    visitors         bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (area, month, topic)
);
INSERT INTO area_month_topic_activity (area, month, topic, published_events, cancelled_events,
                                       held_events, planned_hours, realised_hours,
                                       participants, visitors)
SELECT coalesce(f.area, 'unknown'),
       date_trunc('month', f.starts_at AT TIME ZONE 'Europe/Helsinki')::date, t.topic,
       count(*) FILTER (WHERE f.status = 'published'),
       count(*) FILTER (WHERE f.status = 'cancelled'),
       count(*) FILTER (WHERE f.status = 'published' AND a.participants IS NOT NULL),
       coalesce(round(sum(extract(epoch FROM f.ends_at - f.starts_at) / 3600)
                FILTER (WHERE f.status = 'published'), 2), 0),
       coalesce(round(sum(extract(epoch FROM f.ends_at - f.starts_at) / 3600)
                FILTER (WHERE f.status = 'published' AND a.participants IS NOT NULL), 2), 0),
       coalesce(sum(a.participants) FILTER (WHERE f.status = 'published'), 0),
       coalesce(sum(a.visitors) FILTER (WHERE f.status = 'published'), 0)
FROM activity_event_facts f
CROSS JOIN LATERAL unnest(f.topics) AS t (topic)
LEFT JOIN attendance_facts a USING (activity_event_id)
GROUP BY 1, 2, 3;
