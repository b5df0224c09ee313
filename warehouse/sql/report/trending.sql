-- Entities rising most in the latest 7 days of data against the 7 days before.
SELECT name, type, recent_mentions, previous_mentions, rise, rise_ratio, recent_sources, window_start, window_end
FROM entity_trending
WHERE rise > 0
ORDER BY rise DESC, rise_ratio DESC, name
LIMIT $limit
