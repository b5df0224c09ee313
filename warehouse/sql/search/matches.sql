-- Every article a query matches (warehouse.search.search): BM25 from search_bm25_ids (0010) under the command's
-- filters, with the time that decides which copy of a story is the earliest. `$term_ids`: the query's terms
-- found in the vocabulary (term_ids.sql); `$term_count`: its distinct terms, found or not.
WITH entity_articles AS (
    SELECT DISTINCT m.article_id
    FROM mentions m JOIN entities e USING (entity_id)
    WHERE $entity IS NOT NULL AND e.name = $entity
)
SELECT r.article_id, r.doc_id, r.score, coalesce(a.published_at, a.first_seen_at) AS seen_at
FROM search_bm25_ids($term_ids, $term_count, match_all := $match_all) r
JOIN articles a USING (article_id)
WHERE ($since IS NULL OR CAST(timezone('Asia/Seoul', coalesce(a.published_at, a.first_seen_at)) AS DATE) >= $since)
  AND ($until IS NULL OR CAST(timezone('Asia/Seoul', coalesce(a.published_at, a.first_seen_at)) AS DATE) <= $until)
  AND (len($sources) = 0 OR list_contains($sources, a.source))
  AND ($entity IS NULL OR a.article_id IN (SELECT article_id FROM entity_articles))
