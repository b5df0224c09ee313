-- Pairs of named entities seen together in the most articles.
SELECT name_a, type_a, name_b, type_b, articles, first_day, last_day
FROM entity_cooccurrence
WHERE CAST($since AS DATE) IS NULL OR last_day >= CAST($since AS DATE)
ORDER BY articles DESC, name_a, name_b
LIMIT $limit
