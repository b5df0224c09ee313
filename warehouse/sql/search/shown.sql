-- The articles a search shows, with their text and where the query's terms stand in it (for snippets).
SELECT a.article_id, a.title, a.source,
       CAST(timezone('Asia/Seoul', coalesce(a.published_at, a.first_seen_at)) AS DATE) AS day,
       a.url, a.body,
       list({'field': t.field, 'term': v.term, 'starts': t.starts, 'ends': t.ends})
           FILTER (WHERE t.doc_id IS NOT NULL) AS spans
FROM articles a
JOIN search_docs d USING (article_id)
LEFT JOIN (
    SELECT t.* FROM search_terms t JOIN search_vocab v USING (term_id) WHERE list_contains($terms, v.term)
) t USING (doc_id)
LEFT JOIN search_vocab v USING (term_id)
WHERE list_contains($ids, a.article_id)
GROUP BY ALL
