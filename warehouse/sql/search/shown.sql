-- The articles a search shows, with their text and their number in the index. `$ids` is replaced by quoted
-- literals (warehouse.search._literals): with constants DuckDB looks the keys up instead of scanning every body.
SELECT a.article_id, d.doc_id, a.title, a.source,
       CAST(timezone('Asia/Seoul', coalesce(a.published_at, a.first_seen_at)) AS DATE) AS day,
       a.url, a.body
FROM articles a
JOIN search_docs d USING (article_id)
WHERE a.article_id IN ($ids)
