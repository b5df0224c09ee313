-- Extraction health per outlet per day.
SELECT day, source, runs, pages, articles, fetch_errors, empty_body_share, missing_date_share,
    missing_byline_share, last_warning
FROM site_health_daily
WHERE CAST($since AS DATE) IS NULL OR day >= CAST($since AS DATE)
ORDER BY day, source
