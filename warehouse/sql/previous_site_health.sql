SELECT source, empty_body_share, missing_date_share, missing_byline_share,
    coalesce(fallback_share, 0) AS fallback_share
FROM (
    SELECT *, row_number() OVER (PARTITION BY source ORDER BY checked_at DESC) AS recency
    FROM site_health
    WHERE run_id <> ? AND articles > 0
)
WHERE recency = 1
