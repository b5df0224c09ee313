-- The highest term number in use (new terms are numbered from the next one).
SELECT coalesce(max(term_id), 0) FROM search_vocab
