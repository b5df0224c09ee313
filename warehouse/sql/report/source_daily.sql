-- Articles per outlet per day.
SELECT day, source, articles
FROM source_daily
WHERE CAST($since AS DATE) IS NULL OR day >= CAST($since AS DATE)
ORDER BY day, source
