-- Headline figures for the report: what the warehouse holds from $since on.
SELECT
    count(*) AS articles,
    count(DISTINCT source) AS sources,
    min(day) AS first_day,
    max(day) AS last_day,
    (SELECT count(*) FROM mention_facts WHERE CAST($since AS DATE) IS NULL OR day >= CAST($since AS DATE)) AS mentions,
    (SELECT count(*) FROM runs) AS runs
FROM (
    SELECT source, CAST(timezone('Asia/Seoul', coalesce(published_at, first_seen_at)) AS DATE) AS day FROM articles
)
WHERE CAST($since AS DATE) IS NULL OR day >= CAST($since AS DATE)
