-- The doc_id of each article of a load batch that came with terms (after search_load.sql numbered the new ones).
SELECT article_id, doc_id FROM search_docs WHERE article_id IN (SELECT article_id FROM incoming_search_docs)
