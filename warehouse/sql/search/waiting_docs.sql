-- Which of a load batch's articles with terms (incoming_search_docs) wait in search_pending: they leave it.
SELECT article_id FROM search_pending WHERE article_id IN (SELECT article_id FROM incoming_search_docs)
