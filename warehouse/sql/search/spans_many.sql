-- spans.sql for many articles at once (a phrase's candidates, a long --limit): one pass over search_terms.
SELECT t.doc_id, t.field, t.term_id, $columns
FROM search_terms t
WHERE t.term_id IN (SELECT unnest($term_ids)) AND t.doc_id IN (SELECT unnest($docs))
