-- Stored articles whose earliest copy changed with this batch. `incoming_relinks` (article_id, duplicate_of,
-- duplicate_similarity) is an Arrow table registered by warehouse.store, inside the batch's transaction;
-- rows whose link is already the same are left alone.
UPDATE articles
SET duplicate_of = r.duplicate_of,
    duplicate_similarity = r.duplicate_similarity
FROM incoming_relinks r
WHERE articles.article_id = r.article_id
  AND (articles.duplicate_of IS DISTINCT FROM r.duplicate_of
       OR articles.duplicate_similarity IS DISTINCT FROM r.duplicate_similarity)
