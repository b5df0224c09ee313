-- Site health over time: the per-run, per-site rows of site_health (0003) summed per day (Asia/Seoul).
-- Shares are weighted by articles, so a run that parsed nothing does not pull the day's share down.
CREATE OR REPLACE VIEW site_health_daily AS
SELECT
    CAST(timezone('Asia/Seoul', checked_at) AS DATE) AS day,
    source,
    count(*) AS runs,
    sum(pages) AS pages,
    sum(articles) AS articles,
    sum(fetch_errors) AS fetch_errors,
    round(sum(empty_body_share * articles) / nullif(sum(articles), 0), 3) AS empty_body_share,
    round(sum(missing_date_share * articles) / nullif(sum(articles), 0), 3) AS missing_date_share,
    round(sum(missing_byline_share * articles) / nullif(sum(articles), 0), 3) AS missing_byline_share,
    round(sum(fetch_errors) / nullif(sum(pages), 0), 3) AS fetch_error_share,
    arg_max(warning, checked_at) AS last_warning
FROM site_health
GROUP BY day, source;
