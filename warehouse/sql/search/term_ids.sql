-- The query's terms in the index, looked up in search_vocab's key on term (list_contains(...) read every term of
-- the vocabulary: 22 ms a query at a real archive's 1,000,000 terms).
SELECT term, term_id FROM search_vocab WHERE term IN (SELECT unnest($terms))
