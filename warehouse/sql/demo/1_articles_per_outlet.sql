-- Articles per outlet
SELECT source, count(*) AS articles, min(published_at)::DATE AS first, max(published_at)::DATE AS last
FROM articles
GROUP BY source
ORDER BY articles DESC
