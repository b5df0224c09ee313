-- Most mentioned organisations
SELECT e.name, count(*) AS mentions, count(DISTINCT m.article_id) AS articles
FROM mentions m JOIN entities e USING (entity_id)
WHERE e.type = 'ORG'
GROUP BY e.name
ORDER BY mentions DESC, e.name
LIMIT 8
