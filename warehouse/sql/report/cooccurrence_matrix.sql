-- The named entities in the most stories, and in how many stories each pair of different ones appears
-- together. No self pairs (rank_a = rank_b): an entity's own count would dwarf every real pair's colour.
-- Every pair of the top entities is a row, 0 when they never meet, so the grid has no holes.
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
    SELECT recent.article_id, top.entity_id, top.rank
    FROM recent
    JOIN top USING (entity_id)
),
together AS (
    SELECT x.rank AS rank_a, y.rank AS rank_b, count(*) AS articles
    FROM top_articles x
    JOIN top_articles y ON x.article_id = y.article_id AND x.rank <> y.rank
    GROUP BY x.rank, y.rank
)
SELECT x.rank AS rank_a, x.name AS name_a, y.rank AS rank_b, y.name AS name_b, coalesce(t.articles, 0) AS articles
FROM top x
JOIN top y ON x.rank <> y.rank
LEFT JOIN together t ON t.rank_a = x.rank AND t.rank_b = y.rank
ORDER BY rank_a, rank_b
