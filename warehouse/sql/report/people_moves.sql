-- The latest people moves (a wire story once), with the article they were read in.
SELECT day, person, kind, title, org, source, article_title, url
FROM people_moves
WHERE CAST($since AS DATE) IS NULL OR day >= CAST($since AS DATE)
ORDER BY day DESC, person
LIMIT $limit
