-- Site spiders fall back to the generic extractor when their selectors miss the body (a layout change):
-- the share of such articles per run and site, and which extractor produced each stored article.

ALTER TABLE site_health ADD COLUMN fallback_share DOUBLE;   -- NULL on rows from before this migration

ALTER TABLE articles ADD COLUMN extractor VARCHAR;          -- site, generic or generic-fallback

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
    arg_max(warning, checked_at) AS last_warning,
    round(sum(coalesce(fallback_share, 0) * articles) / nullif(sum(articles), 0), 3) AS fallback_share
FROM site_health
GROUP BY day, source;
