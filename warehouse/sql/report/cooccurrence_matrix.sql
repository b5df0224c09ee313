-- The named entities in the most articles, and in how many articles each pair of them appears together.
-- rank_a = rank_b is the diagonal: the entity's own article count.
WITH recent AS (
    SELECT DISTINCT article_id, entity_id, name
    FROM mention_facts
    WHERE type IN ('PERSON', 'ORG', 'LOC') AND (CAST($since AS DATE) IS NULL OR day >= CAST($since AS DATE))
),
top AS (
    SELECT entity_id, name, row_number() OVER (ORDER BY count(*) DESC, name) AS rank
    FROM recent
    GROUP BY entity_id, name
    QUALIFY rank <= $limit
),
top_articles AS (
    SELECT recent.article_id, top.entity_id, top.name, top.rank
    FROM recent
    JOIN top USING (entity_id)
)
SELECT x.rank AS rank_a, x.name AS name_a, y.rank AS rank_b, y.name AS name_b, count(*) AS articles
FROM top_articles x
JOIN top_articles y USING (article_id)
GROUP BY x.rank, x.name, y.rank, y.name
ORDER BY rank_a, rank_b
