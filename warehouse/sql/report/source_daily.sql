-- Stories per outlet per day (a wire story under its earliest copy's outlet), with their stored copies.
SELECT day, source, articles, copies
FROM source_daily
WHERE CAST($since AS DATE) IS NULL OR day >= CAST($since AS DATE)
ORDER BY day, source
