-- Token positions of a phrase's terms in the candidate articles (phrase matching in Python).
SELECT d.article_id, t.field, v.term, t.positions
FROM search_terms t
JOIN search_docs d USING (doc_id)
JOIN search_vocab v USING (term_id)
WHERE list_contains($terms, v.term) AND list_contains($ids, d.article_id)
