-- Stored articles carrying each shown story, the earliest copy included (as `stories.copies` counts them).
WITH RECURSIVE down(article_id, story_id, depth) AS (
    SELECT story_id, story_id, 0 FROM (SELECT unnest($stories) AS story_id)
    UNION ALL
    SELECT a.article_id, d.story_id, d.depth + 1
    FROM articles a
    JOIN down d ON a.duplicate_of = d.article_id
    WHERE d.depth < 64
)
SELECT story_id, count(DISTINCT article_id) AS copies FROM down GROUP BY story_id
