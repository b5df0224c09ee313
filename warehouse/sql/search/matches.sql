-- Every article a query matches (warehouse.search.search): BM25 from search_bm25 (0008) under the command's
-- filters, with the story each belongs to: the earliest stored copy, found by following duplicate_of links
-- up the chain (as the `stories` view does; a link to an article no longer stored ends the chain).
WITH RECURSIVE entity_articles AS (
    SELECT DISTINCT m.article_id
    FROM mentions m JOIN entities e USING (entity_id)
    WHERE $entity IS NOT NULL AND e.name = $entity
),
ranked AS (
    SELECT r.article_id, r.doc_id, r.score
    FROM search_bm25($terms, match_all := $match_all) r
    JOIN articles a USING (article_id)
    WHERE ($since IS NULL OR CAST(timezone('Asia/Seoul', coalesce(a.published_at, a.first_seen_at)) AS DATE) >= $since)
      AND ($until IS NULL OR CAST(timezone('Asia/Seoul', coalesce(a.published_at, a.first_seen_at)) AS DATE) <= $until)
      AND (len($sources) = 0 OR list_contains($sources, a.source))
      AND ($entity IS NULL OR a.article_id IN (SELECT article_id FROM entity_articles))
),
up(article_id, story_id, depth) AS (
    SELECT article_id, article_id, 0 FROM ranked
    UNION ALL
    SELECT u.article_id, a.duplicate_of, u.depth + 1
    FROM up u
    JOIN articles a ON a.article_id = u.story_id
    JOIN articles earlier ON earlier.article_id = a.duplicate_of
    WHERE u.depth < 64  -- links point at earlier copies, so chains are short; this only bounds a broken one
)
SELECT r.article_id, r.doc_id, r.score, arg_max(u.story_id, u.depth) AS story_id,
       coalesce(a.published_at, a.first_seen_at) AS seen_at
FROM ranked r
JOIN up u USING (article_id)
JOIN articles a USING (article_id)
GROUP BY r.article_id, r.doc_id, r.score, a.published_at, a.first_seen_at
