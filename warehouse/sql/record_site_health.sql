INSERT OR REPLACE INTO site_health
SELECT $run_id, source, now(), pages, articles, fetch_errors,
    empty_body_share, missing_date_share, missing_byline_share, warning, fallback_share
FROM incoming_health
