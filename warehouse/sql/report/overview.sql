-- Headline figures for the report: what the warehouse holds from $since on. A wire story counts once
-- (stories); copies is every stored article of those stories.
SELECT
    count(*) AS articles,
    CAST(coalesce(sum(copies), 0) AS BIGINT) AS copies,
    count(DISTINCT source) AS sources,
    min(day) AS first_day,
    max(day) AS last_day,
    (SELECT count(*) FROM mention_facts WHERE CAST($since AS DATE) IS NULL OR day >= CAST($since AS DATE)) AS mentions,
    (SELECT count(*) FROM runs) AS runs
FROM stories
WHERE CAST($since AS DATE) IS NULL OR day >= CAST($since AS DATE)
