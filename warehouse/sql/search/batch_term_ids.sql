-- The term_id of each distinct term of a load batch that search_vocab already has (one pass over the vocabulary:
-- the terms it lacks are numbered by warehouse.search._batch_vocab).
SELECT v.term, v.term_id
FROM (SELECT DISTINCT term FROM incoming_search_terms) n
JOIN search_vocab v USING (term)
