-- The articles a search shows, with their text and their number in the index.
SELECT a.article_id, d.doc_id, a.title, a.source,
       CAST(timezone('Asia/Seoul', coalesce(a.published_at, a.first_seen_at)) AS DATE) AS day,
       a.url, a.body
FROM articles a
JOIN search_docs d USING (article_id)
WHERE list_contains($ids, a.article_id)
