-- The term_id of each distinct term of a load batch (incoming_batch_terms) that search_vocab already has (one
-- pass over the vocabulary: the terms it lacks are numbered by warehouse.search._batch_vocab).
SELECT v.term, v.term_id
FROM incoming_batch_terms n
JOIN search_vocab v USING (term)
