-- spans.sql for many articles at once (a phrase's candidates): one pass over search_terms.
SELECT t.doc_id, t.field, t.term_id, t.positions, t.starts, t.ends
FROM search_terms t
WHERE t.term_id IN (SELECT unnest($term_ids)) AND t.doc_id IN (SELECT unnest($docs))
