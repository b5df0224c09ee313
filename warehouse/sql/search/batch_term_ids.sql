-- The term_id of each distinct term of a load batch (after search_load.sql numbered the new ones).
SELECT term, term_id FROM search_vocab WHERE term IN (SELECT term FROM incoming_search_terms)
